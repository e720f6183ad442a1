// Internals of connector/llm/llm_judge.cpp shared with its workers (connector/llm/llm_worker.cpp).
// Not for other callers.
#pragma once
#include "connector/llm/llm_client.hpp"
#include "connector/llm/llm_judge.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace sieve {

// A criteria file as parsed and as written (prompts quote the text).
struct llm_criteria {
    criteria c;
    std::string text;
};

// One paper waiting for the LLM.
struct llm_job {
    std::string key, hash;
    paper p;
    judgment local;
    std::shared_ptr<const llm_criteria> crit;
};

// A judgment known in this session: the LLM's (never expires) or a marked fallback.
struct llm_remembered {
    judgment j; // note built for the paper it was made for (same content: same note)
    llm_judge::clock::time_point expires;
};

std::string utc_day(); // YYYY-MM-DD

// The stored form of an LLM judgment: a reply item (read back with parse_llm_reply, so it is
// checked again), plus thin_evidence.
std::string encode_llm_judgment(const judgment& j, const criteria& c);

struct llm_judge::impl {
    impl(const llm_judge& owner, state_store* s, llm_client_options co, llm_endpoint ep);

    const llm_judge& self;
    state_store* store;
    llm_client client;
    std::mutex mu; // guards everything below but stop and workers
    std::condition_variable work_cv, done_cv;
    std::deque<llm_job> queue;
    std::unordered_set<std::string> busy; // queued or in flight
    std::size_t in_flight = 0;
    std::unordered_map<std::string, llm_remembered> known;
    std::map<std::string, std::shared_ptr<const llm_criteria>> crits;
    std::int64_t requests = 0, failed = 0, llm_items = 0, fallbacks = 0;
    std::string last_error;
    std::string mem_day;
    state_store::llm_usage mem_usage; // without a state store
    // Budget reservations: the estimated tokens of requests in flight, so that concurrent
    // workers cannot together overshoot the daily budget. budget_mu is never taken under mu.
    std::mutex budget_mu;
    std::condition_variable budget_cv; // a reservation ended
    std::int64_t reserved = 0;         // guarded by budget_mu
    std::atomic<bool> stop{false};
    std::vector<std::thread> workers;

    state_store::llm_usage usage_today();
    void add_usage(std::int64_t prompt, std::int64_t completion);
    // Reserves `estimate` tokens once today's use, the reservations in flight and it fit the
    // budget, waiting for reservations to end if that is what it takes; false (nothing
    // reserved) when today's use alone leaves no room, or on stop. True without a budget.
    bool reserve_budget(std::int64_t estimate);
    // Ends a reservation, recording the answered request's use (prompt, completion tokens).
    void settle_budget(std::int64_t estimate,
                       std::optional<std::pair<std::int64_t, std::int64_t>> used);
    // Records a result (stores the LLM's), wakes waiters.
    void finish(llm_job& jb, judgment j, bool from_llm);
    void fall_back(llm_job& jb, const std::string& why);
    void note_failure(const std::string& why);
    // One request for the papers `todo` of `batch`; returns those the reply left unanswered.
    // Sets `failure` (and returns all of them) when nothing usable came back.
    std::vector<std::size_t> ask(std::vector<llm_job>& batch, const std::vector<std::size_t>& todo,
                                 std::string& failure);
    void process(std::vector<llm_job>& batch); // ask, ask again for the missing, fall back
    std::vector<llm_job> take(); // up to `batch` jobs of one criteria; empty when stopping
    void run();                  // a worker thread
};

} // namespace sieve
