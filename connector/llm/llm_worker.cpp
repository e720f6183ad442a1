// llm_judge's workers (connector/llm/llm_judge.hpp): batching, the request and its one retry, the
// daily budget, and recording results.
#include "connector/llm/llm_worker.hpp"

#include "classifier/note.hpp"
#include "connector/llm/llm_prompt.hpp"
#include "connector/llm/llm_reply.hpp"

#include <boost/json.hpp>

#include <ctime>

namespace sieve {

namespace json = boost::json;
using clock_type = llm_judge::clock;

namespace {

constexpr auto fallback_lifetime = std::chrono::minutes(5);
constexpr std::size_t max_remembered = 100000;
constexpr std::int64_t completion_allowance = 200; // reply tokens reserved per paper asked

} // namespace

std::string utc_day() {
    std::time_t t = std::time(nullptr);
    std::tm g{};
    gmtime_r(&t, &g);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &g);
    return buf;
}

std::string encode_llm_judgment(const judgment& j, const criteria& c) {
    json::array topics, ev;
    for (const auto& t : j.topics)
        topics.emplace_back(t);
    for (const auto& e : j.evidence)
        if (e.criterion < c.lines.size())
            ev.push_back(json::object{{"quote", e.quote}, {"line", c.lines[e.criterion].line_no}});
    return json::serialize(json::object{{"id", "p1"},
                                        {"verdict", to_string(j.label)},
                                        {"topics", std::move(topics)},
                                        {"score", j.score},
                                        {"confidence", j.confidence},
                                        {"reason", j.reason},
                                        {"thin_evidence", j.thin_evidence},
                                        {"evidence", std::move(ev)}});
}

llm_judge::impl::impl(const llm_judge& owner, state_store* s, llm_client_options co,
                      llm_endpoint ep)
    : self(owner), store(s), client(std::move(ep), owner.options_.api_key, co) {}

state_store::llm_usage llm_judge::impl::usage_today() {
    std::string day = utc_day();
    if (store)
        return store->llm_usage_on(day);
    std::lock_guard l(mu);
    return day == mem_day ? mem_usage : state_store::llm_usage{};
}

void llm_judge::impl::add_usage(std::int64_t prompt, std::int64_t completion) {
    std::string day = utc_day();
    if (store)
        return store->add_llm_usage(day, prompt, completion);
    std::lock_guard l(mu);
    if (day != mem_day)
        mem_day = day, mem_usage = {};
    mem_usage.prompt_tokens += prompt;
    mem_usage.completion_tokens += completion;
    ++mem_usage.requests;
}

bool llm_judge::impl::reserve_budget(std::int64_t estimate) {
    std::int64_t budget = self.options_.daily_tokens;
    if (budget <= 0)
        return true;
    std::unique_lock l(budget_mu);
    for (;;) {
        auto u = usage_today();
        std::int64_t used = u.prompt_tokens + u.completion_tokens;
        if (used + estimate > budget || stop)
            return false;
        if (used + reserved + estimate <= budget)
            break;
        budget_cv.wait_for(l, std::chrono::milliseconds(100));
    }
    reserved += estimate;
    return true;
}

void llm_judge::impl::settle_budget(std::int64_t estimate,
                                    std::optional<std::pair<std::int64_t, std::int64_t>> used) {
    std::lock_guard l(budget_mu); // the use is recorded before the reservation ends
    if (used)
        add_usage(used->first, used->second);
    if (self.options_.daily_tokens > 0)
        reserved -= estimate;
    budget_cv.notify_all();
}

void llm_judge::impl::finish(llm_job& jb, judgment j, bool from_llm) {
    // The field heads' reading names the field: the local note's, or for an application verdict
    // the field read even where the local (irrelevant) note named none.
    if (j.field.empty())
        j.field = !jb.local.field.empty() || j.label != verdict::application ? jb.local.field
                                                                             : jb.local.field_read;
    j.note_html = build_note(j, jb.crit->c, jb.p);
    if (from_llm && store)
        store->store_llm_judgment(jb.hash, jb.crit->c.version, self.options_.model,
                                  encode_llm_judgment(j, jb.crit->c));
    std::lock_guard l(mu);
    if (known.size() >= max_remembered)
        known.clear();
    auto expires = from_llm ? clock_type::time_point::max() : clock_type::now() + fallback_lifetime;
    known[jb.key] = {std::move(j), expires};
    busy.erase(jb.key);
    ++(from_llm ? llm_items : fallbacks);
    done_cv.notify_all();
}

void llm_judge::impl::fall_back(llm_job& jb, const std::string& why) {
    judgment j = jb.local;
    j.judge += " (LLM fallback: " + why + ")";
    finish(jb, std::move(j), false);
}

void llm_judge::impl::note_failure(const std::string& why) {
    std::lock_guard l(mu);
    ++failed;
    last_error = why;
}

// One request for the papers `todo` of `batch`; returns those the reply left unanswered.
// Sets `failure` (and returns all of them) when nothing usable came back.
std::vector<std::size_t> llm_judge::impl::ask(std::vector<llm_job>& batch,
                                              const std::vector<std::size_t>& todo,
                                              std::string& failure) {
    std::vector<const paper*> papers;
    for (auto i : todo)
        papers.push_back(&batch[i].p);
    const llm_criteria& ce = *batch[todo.front()].crit;
    std::string body = build_llm_request(self.options_.model, ce.text, ce.c, papers);
    // The reply's length is unknown until it arrives: reserve a generous share per paper.
    const std::int64_t estimate =
        estimate_tokens(body) + completion_allowance * std::int64_t(todo.size());
    if (!reserve_budget(estimate)) {
        failure = "daily token budget exhausted";
        return todo;
    }
    {
        std::lock_guard l(mu);
        ++requests;
    }
    auto r = client.post(body, stop);
    if (r) // a reply without a usage report counts its prompt as estimated
        settle_budget(estimate, std::pair{r->prompt_tokens >= 0 ? r->prompt_tokens
                                                                : estimate_tokens(body),
                                          r->completion_tokens});
    else
        settle_budget(estimate, std::nullopt);
    if (!r) {
        failure = "LLM unavailable: " + r.error().message;
        note_failure(r.error().message);
        return todo;
    }
    auto parsed = parse_llm_reply(r->content, papers, ce.c);
    std::vector<std::size_t> missing;
    for (std::size_t k = 0; k < todo.size(); ++k) {
        llm_job& jb = batch[todo[k]];
        if (!parsed[k]) {
            missing.push_back(todo[k]);
            continue;
        }
        parsed[k]->judge = self.name_;
        parsed[k]->thin_evidence = jb.local.thin_evidence;
        finish(jb, std::move(*parsed[k]), true);
    }
    if (!missing.empty())
        note_failure("the reply left " + std::to_string(missing.size()) + " of " +
                     std::to_string(todo.size()) + " papers unanswered or unusable");
    return missing;
}

void llm_judge::impl::process(std::vector<llm_job>& batch) {
    std::vector<std::size_t> todo(batch.size());
    for (std::size_t i = 0; i < todo.size(); ++i)
        todo[i] = i;
    std::string failure = "LLM reply unusable";
    for (int round = 0; round < 2 && !todo.empty() && !stop; ++round) {
        std::string why;
        todo = ask(batch, todo, why);
        if (!why.empty()) {
            failure = why;
            break;
        }
    }
    for (auto i : todo)
        fall_back(batch[i], failure);
    std::lock_guard l(mu);
    in_flight -= batch.size();
    done_cv.notify_all();
}

// Up to `batch` queued jobs of the same criteria; empty when stopping.
std::vector<llm_job> llm_judge::impl::take() {
    std::unique_lock l(mu);
    work_cv.wait(l, [&] { return stop || !queue.empty(); });
    if (!stop && queue.size() < self.options_.batch) // let a burst of submissions gather
        work_cv.wait_for(l, std::chrono::milliseconds(20),
                         [&] { return stop || queue.size() >= self.options_.batch; });
    std::vector<llm_job> out;
    if (stop || queue.empty())
        return out;
    auto crit = queue.front().crit;
    for (auto it = queue.begin(); it != queue.end() && out.size() < self.options_.batch;) {
        if (it->crit == crit) {
            out.push_back(std::move(*it));
            it = queue.erase(it);
        } else {
            ++it;
        }
    }
    in_flight += out.size();
    return out;
}

void llm_judge::impl::run() {
    for (;;) {
        auto batch = take();
        if (batch.empty()) {
            if (stop)
                return;
            continue;
        }
        process(batch);
    }
}

} // namespace sieve
