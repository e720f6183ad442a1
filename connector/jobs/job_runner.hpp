// Bulk jobs: judges every item of a scope on a background thread, stores the plans page by page
// in the state store (each step in one transaction with the job's progress), and resumes a job
// that was running when the helper stopped. One job runs at a time. Thread-safe.
#pragma once
#include "classifier/classifier.hpp"
#include "connector/jobs/job_item.hpp"
#include "connector/jobs/job_scope.hpp"
#include "connector/zotero/library_cache.hpp"
#include "connector/llm/llm_judge.hpp"
#include "connector/state/state_store.hpp"

#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace sieve {

struct job_options {
    std::string tag_prefix = "sieve/";
    std::size_t first_chunk = 64;    // items in the first step (a first page comes fast)
    std::size_t max_chunk = 2048;    // steps double up to this size
    std::chrono::milliseconds pause{0}; // between steps (--job-pause-ms: gentler on the CPU)
    unsigned threads = 0;           // judging threads per step; 0 = hardware concurrency
    // The LLM judge (null: local only). Items it wants use its judgment when already known;
    // the others are queued for it, not waited for (a later job applies what it decides).
    llm_judge* llm = nullptr;
};

// A job's row plus what only the running job knows.
struct job_status {
    job_record record;
    double rate = 0;                   // items per second since the job (re)started
    std::optional<double> eta_seconds; // while running and the rate is known
};

// Why a job could not start: the HTTP status and error code to answer with.
struct job_error {
    int status = 500;
    std::string code, message;
};

class job_runner {
public:
    using classifier_source = std::function<std::shared_ptr<const classifier>()>;
    job_runner(state_store& store, library_cache& library, classifier_source clf,
               job_options options);
    ~job_runner(); // stop()
    job_runner(const job_runner&) = delete;
    job_runner& operator=(const job_runner&) = delete;

    // Starts a job over `scope`; `request_json` is stored as given.
    boost::system::result<job_status, job_error> start(const job_scope& scope,
                                                        std::string request_json);
    // The job's status (none: no such job). Errors: the state store could not be read, or holds
    // a row Sieve did not write (store_error).
    store_result<std::optional<job_status>> status(std::int64_t id);
    store_result<std::vector<job_status>> recent(std::size_t n); // newest first
    // Cancels a running job and waits until it has stopped; finished jobs are left as they are.
    store_result<std::optional<job_status>> cancel(std::int64_t id);
    // Resumes the jobs the store says were running (at start-up). Returns how many resumed.
    std::size_t resume();
    // Stops the worker after its current step; a running job stays "running" in the store.
    void stop();

    using item_input = job_item_input;

private:
    struct active;
    struct step_output {
        job_record next; // the job's row once the step is stored
        job_chunk chunk;
    };
    void run(std::shared_ptr<active> job);
    std::vector<item_input> read_inputs(active& job, std::size_t begin, std::size_t end);
    step_output judge_step(active& job, std::size_t begin, std::size_t end,
                           std::vector<item_input>& inputs, const job_record& base);
    bool store_step(active& job, step_output& out); // false: stored nothing, the job failed
    unsigned threads() const {
        return options_.threads ? options_.threads
                                : std::max(1u, std::thread::hardware_concurrency());
    }
    void finish(active& job, std::string state, std::string error);
    job_status live_status(const active& job) const; // caller holds mutex_
    void launch(std::shared_ptr<active> job);        // caller holds lifecycle_, not mutex_
    std::optional<job_error> prepare(active& job, const std::optional<std::pair<std::int64_t, std::string>>& cursor);
    bool is_running() const; // caller holds mutex_

    state_store& store_;
    library_cache& library_;
    classifier_source clf_;
    job_options options_;
    std::mutex lifecycle_; // one start / cancel / resume / stop at a time; guards worker_
    std::mutex mutex_;     // guards current_ and its record
    std::shared_ptr<active> current_;
    std::thread worker_;
    std::unique_ptr<boost::asio::thread_pool> helpers_; // judging threads besides the worker
};

} // namespace sieve
