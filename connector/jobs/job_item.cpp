#include "connector/jobs/job_item.hpp"

#include "connector/wire/api_json.hpp"
#include "connector/jobs/judge_item.hpp"
#include "connector/wire/paper_json.hpp"
#include "connector/jobs/plan.hpp"

#include <boost/json/serialize.hpp>

namespace sieve {

namespace json = boost::json;

namespace {

// The cached judgment when there is one (content, model and criteria unchanged), else a new one.
judgment cached_or_new(job_item_input& in, const job_item_context& c, job_item_outcome& out) {
    json::object stored;
    if (in.stored.judgment)
        if (auto j = judgment_from_json(*in.stored.judgment, stored))
            return *j;
    judgment j = c.clf.judge(in.p);
    out.fresh = true;
    out.new_judgment.emplace(std::move(in.key),
                             json::serialize(judgment_json(in.p.id, j, c.clf.active_criteria())));
    return j;
}

void plan_item(const zotero_item& z, const judgment& j, job_item_input& in,
               const job_item_context& c, job_item_outcome& out) {
    item_content content = content_from_item(z);
    content.written = std::move(in.stored.written);
    plan p = compute_plan(j, content, {c.prefix, c.tag_type});
    for (const auto& n : content.notes)
        if (stamp_intact(n.html))
            out.notes.push_back({z.library_id, z.key, n.key, note_hash(n.html)});
    out.changed = !p.empty();
    out.user_edited = p.note.action == note_action::user_edited;
    if (!out.changed && !out.user_edited)
        return;
    json::array topics;
    for (const auto& t : j.topics)
        topics.emplace_back(t);
    out.entry = json::object{{"libraryID", z.library_id},
                             {"key", z.key},
                             {"verdict", to_string(j.label)},
                             {"topics", std::move(topics)},
                             {"plan", plan_json(p)}};
}

// The LLM's judgment instead of `j` when the judge wants the item and already knows it; else
// the item is marked to be queued (with a complete local judgment as its fallback).
void consult_llm(judgment& j, const job_item_input& in, const job_item_context& c,
                 job_item_outcome& out) {
    if (!c.llm || !c.llm->wants(j))
        return;
    if (auto up = c.llm->lookup(in.p, c.clf)) {
        j = std::move(*up);
        out.llm_judged = true;
        return;
    }
    out.llm_task = llm_judge::task{in.p, out.fresh ? j : c.clf.judge(in.p)};
}

} // namespace

job_item_outcome judge_job_item(const zotero_item& z, job_item_input& in,
                                const job_item_context& c) {
    job_item_outcome out;
    try {
        judgment j = cached_or_new(in, c, out);
        consult_llm(j, in, c, out);
        out.verdict = std::string(to_string(j.label));
        out.topics = j.topics;
        out.read_only = !library_editable(&c.lib, z.library_id);
        if (!out.read_only)
            plan_item(z, j, in, c, out);
    } catch (const std::exception&) {
        out = job_item_outcome{};
        out.error = true;
    }
    return out;
}

void add_counts(job_counts& c, const job_item_outcome& o) {
    if (o.error) {
        ++c.errors;
        return;
    }
    ++c.verdicts[o.verdict];
    for (const auto& t : o.topics)
        ++c.topics[t];
    c.changes += o.changed;
    c.user_edited += o.user_edited;
    c.read_only += o.read_only;
    c.llm_judged += o.llm_judged;
    c.llm_queued += o.llm_task.has_value();
}

} // namespace sieve
