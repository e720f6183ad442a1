#include "connector/jobs/job_runner.hpp"

#include "connector/jobs/job_item.hpp"
#include "connector/jobs/judge_item.hpp"
#include "connector/wire/paper_json.hpp"

#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <future>
#include <latch>
#include <cstdio>

namespace sieve {

namespace json = boost::json;
using clock_type = std::chrono::steady_clock;

struct job_runner::active {
    job_record record; // guarded by job_runner::mutex_
    job_scope scope;
    std::shared_ptr<const zotero_library> lib;
    std::shared_ptr<const classifier> clf;
    std::vector<const zotero_item*> items;
    std::atomic<bool> cancel{false};
    std::atomic<bool> stop{false};
    clock_type::time_point started = clock_type::now();
    std::optional<clock_type::time_point> ended; // guarded by job_runner::mutex_
    clock_type::duration lookup_time{}, judge_time{}, collect_time{}, store_time{}; // worker only
    std::int64_t done_at_start = 0;
};

namespace {

// Runs fn(i) for i in [0, n): share t of `threads` on helpers[t - 1] (long-lived threads, so
// the classifier's per-thread caches stay warm from step to step), share 0 on this thread.
template <class Fn>
void parallel_for(std::size_t n, unsigned threads, boost::asio::thread_pool& helpers, Fn fn) {
    auto work = [&](unsigned t) {
        for (std::size_t i = t; i < n; i += threads)
            fn(i);
    };
    std::latch done(std::ptrdiff_t(threads > 1 ? threads - 1 : 0));
    for (unsigned t = 1; t < threads; ++t)
        boost::asio::post(helpers, [&, t] {
            work(t);
            done.count_down();
        });
    work(0);
    done.wait();
}

} // namespace

job_runner::job_runner(state_store& store, library_cache& library, classifier_source clf,
                       job_options options)
    : store_(store), library_(library), clf_(std::move(clf)), options_(std::move(options)),
      helpers_(std::make_unique<boost::asio::thread_pool>(std::max(1u, threads() - 1))) {}

job_runner::~job_runner() { stop(); }

std::vector<job_runner::item_input> job_runner::read_inputs(active& job, std::size_t begin,
                                                           std::size_t end) {
    std::size_t n = end - begin;
    std::vector<item_input> inputs(n);
    std::vector<judgment_key> keys(n);
    parallel_for(n, threads(), *helpers_, [&](std::size_t i) {
        const zotero_item& z = *job.items[begin + i];
        inputs[i].p = paper_from_item(z, options_.tag_prefix);
        keys[i] = {z.library_id, z.key, content_hash(inputs[i].p), job.clf->model_version(),
                   job.clf->criteria_version()};
    });
    auto t0 = clock_type::now();
    auto stored = store_.lookup_items(keys);
    job.lookup_time += clock_type::now() - t0;
    for (std::size_t i = 0; i < n; ++i) {
        inputs[i].key = std::move(keys[i]);
        inputs[i].stored = std::move(stored[i]);
    }
    return inputs;
}

job_runner::step_output job_runner::judge_step(active& job, std::size_t begin, std::size_t end,
                                               std::vector<item_input>& inputs,
                                               const job_record& base) {
    job_item_context ctx{*job.clf, options_.llm, *job.lib, options_.tag_prefix, base.tag_type};
    std::vector<job_item_outcome> outcomes(end - begin);
    auto t0 = clock_type::now();
    parallel_for(outcomes.size(), threads(), *helpers_, [&](std::size_t i) {
        outcomes[i] = judge_job_item(*job.items[begin + i], inputs[i], ctx);
    });
    job.judge_time += clock_type::now() - t0;
    step_output out{base, {}};
    std::vector<llm_judge::task> for_llm;
    for (auto& o : outcomes) {
        add_counts(out.next.counts, o);
        if (o.llm_task)
            for_llm.push_back(std::move(*o.llm_task));
        if (o.new_judgment)
            out.chunk.judgments.push_back(std::move(*o.new_judgment));
        std::move(o.notes.begin(), o.notes.end(), std::back_inserter(out.chunk.notes));
        if (o.entry.is_object()) {
            o.entry.as_object()["seq"] = ++out.next.plan_entries;
            out.chunk.entries.push_back(json::serialize(o.entry));
        }
    }
    if (!for_llm.empty())
        options_.llm->submit(std::move(for_llm), *job.clf); // not waited for
    out.next.done += std::int64_t(end - begin);
    out.next.cursor = std::pair{job.items[end - 1]->library_id, job.items[end - 1]->key};
    return out;
}

bool job_runner::store_step(active& job, step_output& out) {
    auto t0 = clock_type::now();
    auto committed = store_.commit_job_chunk(out.next, out.chunk);
    job.store_time += clock_type::now() - t0;
    if (!committed) {
        finish(job, "failed", "the state store could not be written: " + committed.error());
        return false;
    }
    std::lock_guard lock(mutex_);
    job.record = std::move(out.next);
    return true;
}

// Steps are pipelined: while step N is stored (one transaction, on its own thread), step N + 1
// is judged; its inputs are read from the store before step N's transaction starts.
void job_runner::run(std::shared_ptr<active> job) {
    const std::size_t n = job->items.size();
    std::size_t i = 0, size = std::max<std::size_t>(1, options_.first_chunk);
    job_record base;
    {
        std::lock_guard lock(mutex_);
        base = job->record;
    }
    std::future<bool> storing;
    auto stored = [&] { return !storing.valid() || storing.get(); };
    std::vector<item_input> inputs = read_inputs(*job, 0, std::min(n, size));
    while (i < n) {
        if (job->stop)
            return void(stored()); // stays "running" in the store: resumed at the next start
        if (job->cancel)
            return stored() ? finish(*job, "cancelled", "") : void();
        std::size_t end = std::min(n, i + size);
        step_output out = judge_step(*job, i, end, inputs, base);
        base = out.next;
        if (!stored())
            return;
        size = std::min(size * 2, std::max(options_.max_chunk, options_.first_chunk));
        if (end < n)
            inputs = read_inputs(*job, end, std::min(n, end + size));
        storing = std::async(std::launch::async, [this, job, o = std::move(out)]() mutable {
            return store_step(*job, o);
        });
        i = end;
        if (options_.pause.count() > 0 && i < n)
            std::this_thread::sleep_for(options_.pause);
    }
    if (stored())
        finish(*job, job->cancel ? "cancelled" : "done", "");
}

void job_runner::finish(active& job, std::string state, std::string error) {
    std::lock_guard lock(mutex_);
    job.record.state = std::move(state);
    job.record.error = std::move(error);
    job.record.finished_at = unix_seconds();
    job.ended = clock_type::now();
    (void)store_.update_job(job.record); // a failure leaves it "running": resumed, then finished
    auto secs = [](clock_type::duration d) { return std::chrono::duration<double>(d).count(); };
    std::printf("job %lld %s: %lld of %lld items in %.1f s (reading the cache %.1f s, judging "
                "%.1f s, collecting %.1f s, storing %.1f s)\n",
                static_cast<long long>(job.record.id), job.record.state.c_str(),
                static_cast<long long>(job.record.done), static_cast<long long>(job.record.total),
                secs(*job.ended - job.started), secs(job.lookup_time), secs(job.judge_time),
                secs(job.collect_time), secs(job.store_time));
    std::fflush(stdout);
}

job_status job_runner::live_status(const active& job) const {
    job_status s{job.record, 0, std::nullopt};
    double elapsed =
        std::chrono::duration<double>(job.ended.value_or(clock_type::now()) - job.started).count();
    if (elapsed > 0)
        s.rate = double(job.record.done - job.done_at_start) / elapsed;
    if (job.record.state == "running" && s.rate > 0)
        s.eta_seconds = double(job.record.total - job.record.done) / s.rate;
    return s;
}

void job_runner::launch(std::shared_ptr<active> job) {
    if (worker_.joinable())
        worker_.join();
    {
        std::lock_guard lock(mutex_);
        current_ = job;
    }
    worker_ = std::thread([this, job] { run(job); });
}

bool job_runner::is_running() const {
    return current_ && current_->record.state == "running" && !current_->stop;
}

std::optional<job_error>
job_runner::prepare(active& job, const std::optional<std::pair<std::int64_t, std::string>>& cursor) {
    job.clf = clf_();
    if (!job.clf)
        return job_error{503, "classifier_unavailable", "the classifier could not be built"};
    auto view = library_.get();
    if (view.missing)
        return job_error{503, "no_library", "no Zotero database at the configured path"};
    if (!view.library)
        return job_error{503, "library_unavailable", view.error};
    job.lib = view.library;
    if (names_unknown_library(*job.lib, job.scope))
        return job_error{404, "not_found", "no library with this libraryID"};
    job_selection sel = select_job_items(*job.lib, job.scope, cursor);
    job.items = std::move(sel.items);
    job.record.model_version = job.clf->model_version();
    job.record.criteria_version = job.clf->criteria_version();
    if (!cursor) { // a new job: references to missing items count as errors
        job.record.done = job.record.counts.errors = sel.missing;
    }
    job.record.total = job.record.done + std::int64_t(job.items.size());
    job.done_at_start = job.record.done;
    job.started = clock_type::now();
    return std::nullopt;
}

boost::system::result<job_status, job_error> job_runner::start(const job_scope& scope,
                                                               std::string request_json) {
    std::lock_guard life(lifecycle_);
    {
        std::lock_guard lock(mutex_);
        if (is_running())
            return job_error{409, "job_running",
                             "job " + std::to_string(current_->record.id) +
                                 " is running: wait for it or cancel it (DELETE /v1/jobs/{id})"};
    }
    auto job = std::make_shared<active>();
    job->scope = scope;
    job->record.scope_json = std::move(request_json);
    job->record.tag_type = scope.tag_type;
    if (auto e = prepare(*job, std::nullopt))
        return *e;
    if (auto r = store_.create_job(job->record); !r)
        return job_error{500, "internal_error", "the state store could not be written: " + r.error()};
    launch(job);
    std::lock_guard lock(mutex_);
    return live_status(*job);
}

store_result<std::optional<job_status>> job_runner::status(std::int64_t id) {
    {
        std::lock_guard lock(mutex_);
        if (current_ && current_->record.id == id)
            return std::optional<job_status>(live_status(*current_));
    }
    auto r = store_.find_job(id);
    if (!r)
        return r.error();
    if (!*r)
        return std::optional<job_status>();
    return std::optional<job_status>(job_status{std::move(**r), 0, std::nullopt});
}

store_result<std::vector<job_status>> job_runner::recent(std::size_t n) {
    auto records = store_.recent_jobs(n);
    if (!records)
        return records.error();
    std::vector<job_status> out;
    std::lock_guard lock(mutex_);
    for (auto& r : *records) {
        if (current_ && current_->record.id == r.id)
            out.push_back(live_status(*current_)); // the running job's row may lag behind
        else
            out.push_back(job_status{std::move(r), 0, std::nullopt});
    }
    return out;
}

store_result<std::optional<job_status>> job_runner::cancel(std::int64_t id) {
    std::lock_guard life(lifecycle_);
    bool ours = false;
    {
        std::lock_guard lock(mutex_);
        if (current_ && current_->record.id == id && is_running()) {
            current_->cancel = true;
            ours = true;
        }
    }
    if (ours && worker_.joinable())
        worker_.join();
    return status(id);
}

std::size_t job_runner::resume() {
    std::lock_guard life(lifecycle_);
    auto running = store_.jobs_in_state("running");
    for (std::size_t i = 0; i + 1 < running.size(); ++i) { // only the newest can resume
        running[i].state = "failed";
        running[i].error = "superseded by a later job";
        running[i].finished_at = unix_seconds();
        (void)store_.update_job(running[i]);
    }
    if (running.empty())
        return 0;
    auto job = std::make_shared<active>();
    job->record = running.back();
    boost::system::error_code ec;
    json::value body = json::parse(job->record.scope_json, ec);
    auto scope = ec ? boost::system::result<job_scope, jcheck::error>(jcheck::error{"", "unreadable"})
                    : parse_job_request(body);
    std::optional<job_error> e;
    if (!scope)
        e = job_error{500, "internal_error", "the stored scope is unreadable"};
    else {
        job->scope = std::move(*scope);
        e = prepare(*job, job->record.cursor);
    }
    if (e) {
        job->record.state = "failed";
        job->record.error = "could not resume after a restart: " + e->message;
        job->record.finished_at = unix_seconds();
        (void)store_.update_job(job->record);
        return 0;
    }
    (void)store_.update_job(job->record);
    launch(job);
    return 1;
}

void job_runner::stop() {
    std::lock_guard life(lifecycle_);
    {
        std::lock_guard lock(mutex_);
        if (current_)
            current_->stop = true;
    }
    if (worker_.joinable())
        worker_.join();
}

} // namespace sieve
