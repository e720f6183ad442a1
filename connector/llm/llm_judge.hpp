// The optional LLM judge (docs/llm-judge.md): sends papers, several per request, to an
// OpenAI-compatible chat-completions server and keeps what comes back.
// - Modes: local (no LLM), llm (every paper), hybrid (papers whose local confidence is below
//   the threshold). The local judgment is always made first and stands until the LLM's arrives.
// - Non-blocking: submit() queues; worker threads (--llm-concurrency) take batches of up to
//   --llm-batch papers judged under the same criteria, call the server (llm_client), parse the
//   reply (llm_reply), ask once more for papers the reply missed, and fall back to the local
//   judgment for the rest (marked in `judge`, kept in memory for a few minutes, not stored).
// - Cache: LLM judgments in the state store by content hash, criteria version and model; a paper
//   cached, queued or in flight is never sent again.
// - Budget: tokens per UTC day (state store, else memory); past --llm-daily-tokens nothing is
//   sent and papers keep their local judgment ("daily token budget exhausted").
// Thread-safe.
#pragma once
#include "classifier/classifier.hpp"
#include "connector/state/state_store.hpp"

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sieve {

struct llm_job; // connector/llm/llm_judge.cpp

enum class llm_mode { local, llm, hybrid };
std::string_view to_string(llm_mode m);
std::optional<llm_mode> llm_mode_from_string(std::string_view s);

struct llm_options {
    llm_mode mode = llm_mode::local;
    std::string url = "http://127.0.0.1:11434/v1"; // base URL; POST <url>/chat/completions
    std::string model;                             // required unless mode is local
    std::string api_key;                           // never logged, never returned
    unsigned concurrency = 2;                      // requests in flight at once
    double timeout = 120;                          // seconds per request attempt
    double classify_wait = 3;      // seconds POST /v1/classify waits for LLM judgments
    std::int64_t daily_tokens = 0; // budget per UTC day; 0: none
    std::size_t batch = 8;         // papers per request
    double threshold = 0.55;       // hybrid: local confidence below it goes to the LLM
    int max_attempts = 3;          // per request, for 429 / 5xx / transport failures
};


class llm_judge {
public:
    using clock = std::chrono::steady_clock;
    struct task {
        paper p;
        judgment local; // the fallback
    };

    // Starts the workers. Errors (one line): local mode, no model, a bad URL.
    static boost::system::result<std::unique_ptr<llm_judge>, std::string>
    create(llm_options options, state_store* store);
    ~llm_judge(); // stops the workers (a request in flight is abandoned at its next wait)
    llm_judge(const llm_judge&) = delete;
    llm_judge& operator=(const llm_judge&) = delete;

    const llm_options& options() const { return options_; }
    // The `judge` of the LLM's judgments: "<model> (LLM)".
    const std::string& name() const { return name_; }

    // Registers the criteria file behind a criteria version: prompts quote it. Papers judged
    // under an unregistered version are never sent.
    void use_criteria(const criteria& c, std::string text);

    // Whether a paper with this local judgment goes to the LLM in the configured mode.
    bool wants(const judgment& local) const;

    // The LLM's judgment (or a marked fallback) of `p` under the criteria of `clf`, when known:
    // from this session or the state store; its note is built for `p`.
    std::optional<judgment> lookup(const paper& p, const classifier& clf);

    // Queues the tasks the mode wants that are not cached, queued or in flight. Non-blocking.
    // Returns how many are (now or already) waiting for the LLM.
    std::size_t submit(std::vector<task> tasks, const classifier& clf);

    // For one paper: nothing unless the mode wants it, else lookup(), else queue it (`pending`
    // then says whether it waits for the LLM).
    std::optional<judgment> resolve(const paper& p, const judgment& local, const classifier& clf,
                                    bool& pending);

    // Blocks until no paper of `keys` (see key()) is queued or in flight, or until `deadline`.
    void wait(const std::vector<std::string>& keys, clock::time_point deadline);
    std::string key(const paper& p, const classifier& clf) const;

    // Collects the keys this thread submits while it lives (one HTTP request's papers), so the
    // handler can wait for exactly those.
    class request_scope {
    public:
        explicit request_scope(llm_judge& judge);
        ~request_scope();
        request_scope(const request_scope&) = delete;
        request_scope& operator=(const request_scope&) = delete;
        bool empty() const { return keys_.empty(); }
        void wait(clock::time_point deadline) { judge_.wait(keys_, deadline); }

    private:
        friend class llm_judge;
        llm_judge& judge_;
        std::vector<std::string> keys_;
        request_scope* previous_;
    };

    // For /v1/health: mode, model, url, batch, threshold, concurrency, queued, in_flight,
    // requests, failed_requests, llm_judgments, fallbacks, last_error, tokens_today {day,
    // prompt, completion, requests}, daily_token_budget, budget_exhausted. Never the key.
    boost::json::object health();

    struct impl;

private:
    llm_judge(llm_options options, state_store* store);
    // Queues `jobs` not yet queued or in flight; records them in this thread's request_scope.
    std::size_t enqueue(std::vector<llm_job>& jobs, const classifier& clf);
    llm_options options_;
    std::string name_;
    std::unique_ptr<impl> impl_;
};

// {"mode": "local"} when `judge` is null, else judge->health().
boost::json::object llm_health(llm_judge* judge);

} // namespace sieve
