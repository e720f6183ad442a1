#include "connector/jobs/report_source.hpp"

#include "connector/jobs/judge_item.hpp"
#include "connector/wire/paper_json.hpp"
#include "connector/wire/report_input.hpp"
#include "connector/zotero/zotero_activity.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <future>
#include <thread>

namespace sieve {

namespace json = boost::json;

namespace {

using result_t = boost::system::result<report_build, std::string>;

result_t fail(std::string why) {
    return {boost::system::in_place_error, std::move(why)};
}

// Runs f(i) for every i < n on two threads (f must be safe to run concurrently for distinct i).
template <class F> void on_two_threads(std::size_t n, const F& f) {
    auto work = [&](std::size_t from) {
        for (std::size_t i = from; i < n; i += 2)
            f(i);
    };
    std::thread t(work, 1);
    work(0);
    t.join();
}

std::string library_name(const zotero_library& lib, std::int64_t id) {
    for (const auto& l : lib.libraries)
        if (l.id == id)
            return l.name.empty() ? "Library " + std::to_string(id) : l.name;
    return "Library " + std::to_string(id);
}

bool has_library(const zotero_library& lib, std::int64_t id) {
    return std::any_of(lib.libraries.begin(), lib.libraries.end(),
                       [&](const zotero_library_info& l) { return l.id == id; });
}

// The scope's title into `title`; the error when the scope names what the database lacks. The
// collection is checked only when the activity (which has the collection names) could be read.
std::optional<std::string> scope_title(const zotero_library& lib, const report_scope& s,
                                       const library_activity* a, std::string& title) {
    if (!s.library_id) {
        title = lib.libraries.size() == 1 ? library_name(lib, lib.libraries[0].id)
                                          : std::string("All libraries");
        return std::nullopt;
    }
    if (!has_library(lib, *s.library_id))
        return "no library " + std::to_string(*s.library_id) + " in this Zotero database";
    title = library_name(lib, *s.library_id);
    if (s.collection_key.empty())
        return std::nullopt;
    if (!a) {
        title += " \u203a collection " + s.collection_key;
        return std::nullopt;
    }
    auto c = a->collection_names.find({*s.library_id, s.collection_key});
    if (c == a->collection_names.end())
        return "no collection " + s.collection_key + " in library " + std::to_string(*s.library_id);
    title += " \u203a " + c->second;
    return std::nullopt;
}

bool in_scope(const zotero_item& z, const report_scope& s) {
    if (s.library_id && z.library_id != *s.library_id)
        return false;
    return s.collection_key.empty() ||
           std::binary_search(z.collections.begin(), z.collections.end(), s.collection_key);
}

// What the library says of an item: id, link, date added, opened, read tags; its title when it
// is relevant (the only items a report lists).
void describe_item(const zotero_item& z, const item_activity* a, const library_activity* all,
                   const std::string& prefix, report_item& it) {
    it.id = std::to_string(z.library_id) + "/" + z.key;
    if (it.label == verdict::relevant)
        it.title = z.title;
    static const std::map<std::int64_t, std::int64_t> no_groups;
    it.link = zotero_select_link(z.library_id, z.key, all ? all->group_ids : no_groups);
    if (a) {
        it.date_added = a->date_added;
        it.opened = a->opened;
    }
    for (const auto& t : z.tags)
        if (!t.name.starts_with(prefix) && is_read_tag(t.name))
            it.tagged_read = true;
}

void fill_from_judgment(const judgment& j, report_item& it) {
    it.label = j.label;
    it.topics = j.topics;
    it.score = j.score;
    it.confidence = j.confidence;
    it.judge = j.judge;
    it.field = j.field;
    if (j.label == verdict::relevant) {
        it.reason = j.reason;
        it.note_html = j.note_html;
    }
}

// Takes each item's stored judgment when there is one that parses; returns which are missing.
std::vector<bool> use_stored(const std::vector<judgment_key>& keys, stored_judgments* store,
                             std::vector<report_item>& items) {
    std::vector<bool> todo(keys.size(), true);
    if (!store)
        return todo;
    store->visit(keys, [&](std::size_t i, std::string_view text, std::int64_t created_at) {
        unsigned char buffer[8192]; // most judgments parse without a heap allocation
        json::monotonic_resource memory(buffer, sizeof buffer);
        boost::system::error_code ec;
        json::value v = json::parse(text, ec, &memory);
        if (!ec && v.is_object() && report_item_from_judgment(v.get_object(), items[i])) {
            items[i].judged_at = created_at;
            todo[i] = false;
        }
    });
    return todo;
}

} // namespace

void judge_report_items(const classifier& clf, const std::vector<paper>& papers,
                        const std::vector<bool>& todo, std::vector<report_item>& items) {
    const std::int64_t now = unix_seconds();
    on_two_threads(papers.size(), [&](std::size_t i) {
        if (!todo[i])
            return;
        fill_from_judgment(clf.judge(papers[i]), items[i]);
        items[i].judged_at = now;
    });
}

result_t collect_library_report(const zotero_library& lib, const report_scope& scope,
                                const classifier& clf, const report_source_options& o) {
    auto pending = std::async(std::launch::async, [&] { return read_library_activity(lib); });
    std::string title;
    if (auto why = scope_title(lib, {scope.library_id, {}}, nullptr, title)) {
        pending.wait();
        return fail(std::move(*why));
    }
    std::vector<std::size_t> chosen; // indexes into lib.items
    for (std::size_t i = 0; i < lib.items.size(); ++i)
        if (in_scope(lib.items[i], scope))
            chosen.push_back(i);
    std::vector<judgment_key> keys(chosen.size());
    on_two_threads(chosen.size(), [&](std::size_t i) {
        const zotero_item& z = lib.items[chosen[i]];
        keys[i] = {z.library_id, z.key, content_hash(paper_from_item(z, o.tag_prefix)),
                   clf.model_version(), clf.criteria_version()};
    });
    std::vector<report_item> items(chosen.size());
    std::vector<bool> todo = use_stored(keys, o.store, items);
    std::vector<paper> papers(chosen.size());
    std::size_t judged_now = 0;
    for (std::size_t i = 0; i < chosen.size(); ++i)
        if (todo[i]) {
            papers[i] = paper_from_item(lib.items[chosen[i]], o.tag_prefix);
            ++judged_now;
        }
    judge_report_items(clf, papers, todo, items);
    auto activity = pending.get();
    const library_activity* a = activity ? &*activity : nullptr;
    if (auto why = scope_title(lib, scope, a, title))
        return fail(std::move(*why));
    for (std::size_t i = 0; i < chosen.size(); ++i)
        describe_item(lib.items[chosen[i]], a ? &a->items[chosen[i]] : nullptr, a, o.tag_prefix,
                      items[i]);
    report_build out;
    out.items = std::move(items);
    out.context.title = std::move(title);
    for (const auto& t : clf.active_criteria().topics)
        out.context.topics.push_back(t.name);
    out.context.model_version = clf.model_version();
    out.context.criteria_version = clf.criteria_version();
    out.context.generated_at = unix_seconds();
    out.context.judged_now = judged_now;
    out.context.from_cache = chosen.size() - judged_now;
    out.context.reading_known = a && a->reader_known;
    return out;
}

} // namespace sieve
