#include "connector/llm/llm_judge.hpp"

#include "connector/wire/paper_json.hpp"

#include "classifier/hash.hpp"
#include "classifier/note.hpp"
#include "connector/llm/llm_reply.hpp"
#include "connector/llm/llm_worker.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>

namespace sieve {

namespace json = boost::json;
using clock_type = llm_judge::clock;

namespace {

thread_local llm_judge::request_scope* current_scope = nullptr;

} // namespace

std::string_view to_string(llm_mode m) {
    switch (m) {
    case llm_mode::llm:
        return "llm";
    case llm_mode::hybrid:
        return "hybrid";
    case llm_mode::local:
        break;
    }
    return "local";
}

std::optional<llm_mode> llm_mode_from_string(std::string_view s) {
    for (auto m : {llm_mode::local, llm_mode::llm, llm_mode::hybrid})
        if (to_string(m) == s)
            return m;
    return std::nullopt;
}

llm_judge::llm_judge(llm_options options, state_store*)
    : options_(std::move(options)), name_(options_.model + " (LLM)") {}

boost::system::result<std::unique_ptr<llm_judge>, std::string>
llm_judge::create(llm_options options, state_store* store) {
    if (options.mode == llm_mode::local)
        return std::string("the LLM judge is off in local mode");
    if (options.model.empty())
        return std::string("--llm-model is required with --llm-mode llm or hybrid");
    auto ep = parse_llm_url(options.url);
    if (!ep)
        return ep.error();
    options.batch = std::clamp<std::size_t>(options.batch, 1, 64);
    options.concurrency = std::clamp(options.concurrency, 1u, 64u);
    std::unique_ptr<llm_judge> j(new llm_judge(std::move(options), store));
    llm_client_options co;
    co.timeout = std::chrono::milliseconds(std::int64_t(j->options_.timeout * 1000));
    co.max_attempts = std::max(1, j->options_.max_attempts);
    j->impl_ = std::make_unique<impl>(*j, store, co, std::move(*ep));
    for (unsigned i = 0; i < j->options_.concurrency; ++i)
        j->impl_->workers.emplace_back([p = j->impl_.get()] { p->run(); });
    return j;
}

llm_judge::~llm_judge() {
    if (!impl_)
        return;
    {
        std::lock_guard l(impl_->mu);
        impl_->stop = true;
    }
    impl_->work_cv.notify_all();
    for (auto& t : impl_->workers)
        t.join();
}

void llm_judge::use_criteria(const criteria& c, std::string text) {
    auto e = std::make_shared<const llm_criteria>(llm_criteria{c, std::move(text)});
    std::lock_guard l(impl_->mu);
    impl_->crits[c.version] = std::move(e);
}

bool llm_judge::wants(const judgment& local) const {
    // Rounded as /v1/classify reports (and caches) it, so a cached judgment decides alike.
    double confidence = std::round(local.confidence * 1000) / 1000;
    return options_.mode == llm_mode::llm ||
           (options_.mode == llm_mode::hybrid && confidence < options_.threshold);
}

std::string llm_judge::key(const paper& p, const classifier& clf) const {
    return content_hash(p) + '\x1f' + clf.criteria_version();
}

std::optional<judgment> llm_judge::lookup(const paper& p, const classifier& clf) {
    std::string k = key(p, clf);
    {
        std::lock_guard l(impl_->mu);
        auto it = impl_->known.find(k);
        if (it != impl_->known.end() && it->second.expires > clock_type::now())
            return it->second.j;
    }
    if (!impl_->store)
        return std::nullopt;
    auto text = impl_->store->find_llm_judgment(content_hash(p), clf.criteria_version(),
                                                options_.model);
    if (!text)
        return std::nullopt;
    auto parsed = parse_llm_reply(*text, {&p}, clf.active_criteria());
    if (!parsed[0])
        return std::nullopt;
    judgment j = std::move(*parsed[0]);
    boost::system::error_code ec;
    auto v = json::parse(*text, ec);
    if (!ec && v.is_object())
        if (const auto* t = v.get_object().if_contains("thin_evidence"); t && t->is_bool())
            j.thin_evidence = t->get_bool();
    j.judge = name_;
    j.note_html = build_note(j, clf.active_criteria(), p);
    return j;
}

std::size_t llm_judge::submit(std::vector<task> tasks, const classifier& clf) {
    std::vector<llm_job> fresh;
    for (auto& t : tasks)
        if (wants(t.local) && !lookup(t.p, clf))
            fresh.push_back({key(t.p, clf), content_hash(t.p), std::move(t.p),
                             std::move(t.local), nullptr});
    return enqueue(fresh, clf);
}

std::size_t llm_judge::enqueue(std::vector<llm_job>& jobs, const classifier& clf) {
    if (jobs.empty())
        return 0;
    std::lock_guard l(impl_->mu);
    auto crit = impl_->crits.find(clf.criteria_version());
    if (crit == impl_->crits.end())
        return 0;
    for (auto& jb : jobs) {
        if (current_scope && &current_scope->judge_ == this)
            current_scope->keys_.push_back(jb.key);
        if (!impl_->busy.insert(jb.key).second)
            continue; // already queued or in flight
        jb.crit = crit->second;
        impl_->queue.push_back(std::move(jb));
    }
    impl_->work_cv.notify_all();
    return jobs.size();
}

std::optional<judgment> llm_judge::resolve(const paper& p, const judgment& local,
                                           const classifier& clf, bool& pending) {
    pending = false;
    if (!wants(local)) // confident local judgments never consult the LLM or its cache
        return std::nullopt;
    if (auto j = lookup(p, clf))
        return j;
    std::vector<llm_job> one;
    one.push_back({key(p, clf), content_hash(p), p, local, nullptr});
    pending = enqueue(one, clf) > 0;
    return std::nullopt;
}

void llm_judge::wait(const std::vector<std::string>& keys, clock::time_point deadline) {
    std::unique_lock l(impl_->mu);
    impl_->done_cv.wait_until(l, deadline, [&] {
        return std::none_of(keys.begin(), keys.end(),
                            [&](const std::string& k) { return impl_->busy.count(k) > 0; });
    });
}

llm_judge::request_scope::request_scope(llm_judge& judge)
    : judge_(judge), previous_(current_scope) {
    current_scope = this;
}

llm_judge::request_scope::~request_scope() {
    current_scope = previous_;
}

json::object llm_judge::health() {
    auto u = impl_->usage_today();
    json::object o{{"mode", to_string(options_.mode)},
                   {"model", options_.model},
                   {"url", options_.url},
                   {"batch", options_.batch},
                   {"threshold", options_.threshold},
                   {"concurrency", options_.concurrency}};
    std::lock_guard l(impl_->mu);
    o["queued"] = impl_->queue.size();
    o["in_flight"] = impl_->in_flight;
    o["requests"] = impl_->requests;
    o["failed_requests"] = impl_->failed;
    o["llm_judgments"] = impl_->llm_items;
    o["fallbacks"] = impl_->fallbacks;
    o["last_error"] =
        impl_->last_error.empty() ? json::value(nullptr) : json::value(impl_->last_error);
    o["tokens_today"] = json::object{{"day", utc_day()},
                                     {"prompt", u.prompt_tokens},
                                     {"completion", u.completion_tokens},
                                     {"requests", u.requests}};
    std::int64_t budget = options_.daily_tokens;
    o["daily_token_budget"] = budget > 0 ? json::value(budget) : json::value(nullptr);
    o["budget_exhausted"] = budget > 0 && u.prompt_tokens + u.completion_tokens >= budget;
    return o;
}

json::object llm_health(llm_judge* judge) {
    return judge ? judge->health() : json::object{{"mode", "local"}};
}

} // namespace sieve
