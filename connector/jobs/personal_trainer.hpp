// Keeps the personal layer (classifier/personal.hpp) learned from the state store's active
// corrections, off the request path: one worker thread retrains after every change (changes
// that arrive while it trains are coalesced into one more run), publishes the new layer at once,
// then computes its cross-validated agreement and stores it (state_store::store_personal).
//
// Start-up: the stored layer is served when its text is intact (hash-checked) and its
// fingerprint names the current active corrections, criteria and model; otherwise it is learned
// again from the stored corrections (a damaged stored layer is never served; a stale intact one
// is served until the new one is ready). Corrections are committed before POST /v1/feedback
// answers, so a crash (kill -9) while training loses none: the next start learns them.
#pragma once
#include "classifier/classifier.hpp"
#include "classifier/personal.hpp"
#include "connector/state/state_store.hpp"

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace sieve {

class personal_trainer {
public:
    // `base` returns the classifier corrections are read with (the current criteria); it may
    // return null (no classifier: nothing is learned).
    using base_fn = std::function<std::shared_ptr<const classifier>()>;
    personal_trainer(state_store& store, base_fn base);
    ~personal_trainer(); // stops the worker (a run in progress finishes first)
    personal_trainer(const personal_trainer&) = delete;
    personal_trainer& operator=(const personal_trainer&) = delete;

    // The corrections (or the criteria) changed: learn again. Returns at once.
    void changed();
    // Forget the layer at once (DELETE /v1/personal, after the store withdrew everything).
    void reset();

    // The layer to judge with (never null; empty: the shipped model).
    std::shared_ptr<const personal_layer> layer() const;

    struct status {
        std::int64_t corrections = 0;       // in the layer being served
        std::optional<std::int64_t> trained_at;
        std::optional<double> agreement;    // cross-validated; none: fewer than 2 or not yet
        bool training = false;              // a run is pending or in progress
        std::string last_error;             // the last run's store error, if any
    };
    status current() const;

    // Blocks until no run is pending or in progress (tests, benchmarks).
    void wait_idle();

private:
    void load_stored();
    void run();                 // the worker
    void train_once();          // one run; caller does not hold mutex_
    std::string fingerprint(const std::vector<stored_correction>& cs, const classifier& c) const;

    state_store& store_;
    base_fn base_;
    mutable std::mutex mutex_;
    std::condition_variable wake_, idle_;
    std::uint64_t wanted_ = 0, done_ = 0; // generations asked for / finished
    bool stop_ = false;
    bool busy_ = false;
    std::shared_ptr<const personal_layer> layer_;
    status status_;
    // What the layer reads of each correction, by feedback id, for one criteria + model.
    std::string inputs_for_;
    std::map<std::int64_t, personal_input> inputs_;
    std::thread worker_;
};

} // namespace sieve
