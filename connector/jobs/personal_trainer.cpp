#include "connector/jobs/personal_trainer.hpp"

#include "classifier/hash.hpp"

namespace sieve {

personal_trainer::personal_trainer(state_store& store, base_fn base)
    : store_(store), base_(std::move(base)), layer_(std::make_shared<personal_layer>()) {
    load_stored();
    worker_ = std::thread([this] { run(); });
}

personal_trainer::~personal_trainer() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    worker_.join();
}

std::string personal_trainer::fingerprint(const std::vector<stored_correction>& cs,
                                          const classifier& c) const {
    std::uint64_t h = fnv1a64(c.shipped_model_version() + "\n" + c.criteria_version() + "\n" +
                              std::to_string(personal_format) + "\n");
    for (const auto& s : cs)
        h = fnv1a64(std::to_string(s.id) + " " + s.f.verdict + "\n", h);
    return hex64(h);
}

// Serves the stored layer when it is intact; learns again unless it is also current.
void personal_trainer::load_stored() {
    auto base = base_();
    auto stored = store_.find_personal();
    auto cs = store_.active_corrections();
    bool current = false;
    if (stored && base) {
        if (auto l = parse_personal(stored->layer_text)) {
            layer_ = std::make_shared<personal_layer>(std::move(*l));
            status_.corrections = std::int64_t(layer_->corrections);
            status_.trained_at = stored->trained_at;
            status_.agreement = stored->agreement;
            current = cs && stored->fingerprint == fingerprint(*cs, *base);
        }
    }
    const bool any = cs && !cs->empty();
    if (!current && (stored || any)) {
        wanted_ = 1; // learn from the stored corrections (or forget a layer without any)
        status_.training = true;
    }
}

void personal_trainer::changed() {
    {
        std::lock_guard lock(mutex_);
        ++wanted_;
        status_.training = true;
    }
    wake_.notify_all();
}

void personal_trainer::reset() {
    {
        std::lock_guard lock(mutex_);
        layer_ = std::make_shared<personal_layer>();
        status_.corrections = 0;
        status_.trained_at.reset();
        status_.agreement.reset();
        ++wanted_; // and store the empty state once the worker runs
        status_.training = true;
    }
    wake_.notify_all();
}

std::shared_ptr<const personal_layer> personal_trainer::layer() const {
    std::lock_guard lock(mutex_);
    return layer_;
}

personal_trainer::status personal_trainer::current() const {
    std::lock_guard lock(mutex_);
    return status_;
}

void personal_trainer::wait_idle() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return done_ >= wanted_ && !busy_; });
}

void personal_trainer::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [&] { return stop_ || done_ < wanted_; });
        if (stop_) return;
        const std::uint64_t target = wanted_;
        busy_ = true;
        lock.unlock();
        train_once();
        lock.lock();
        busy_ = false;
        done_ = target;
        status_.training = done_ < wanted_;
        if (!status_.training) idle_.notify_all();
    }
}

void personal_trainer::train_once() {
    auto base = base_();
    auto cs = store_.active_corrections();
    if (!base || !cs) {
        std::lock_guard lock(mutex_);
        status_.last_error = cs ? "no classifier" : cs.error().message;
        return;
    }
    const personal_options o;
    const std::string key = base->shipped_model_version() + " " + base->criteria_version();
    if (key != inputs_for_) { inputs_.clear(); inputs_for_ = key; } // worker-only state
    std::vector<personal_example> ex;
    std::map<std::int64_t, personal_input> keep;
    for (const auto& c : *cs) {
        auto v = verdict_from_string(c.f.verdict);
        if (!v || (c.f.title.empty() && c.f.abstract.empty())) continue; // nothing to learn from
        auto it = inputs_.find(c.id);
        personal_input in = it != inputs_.end()
                                ? std::move(it->second)
                                : base->inspect(paper{"", c.f.title, c.f.abstract, "", "", {}}, o);
        ex.push_back({in, *v, 1.0});
        ex.back().topics = c.f.topics; // the topic tags the correction carried: the user's topics
        ex.back().topics_known = true;
        keep.emplace(c.id, std::move(in));
    }
    inputs_ = std::move(keep);
    auto layer = std::make_shared<personal_layer>(train_personal(ex, o));
    const std::int64_t now = unix_seconds();
    {
        std::lock_guard lock(mutex_);
        layer_ = layer;
        status_.corrections = std::int64_t(layer->corrections);
        status_.trained_at = now;
        status_.agreement.reset();
    }
    stored_personal row{fingerprint(*cs, *base), std::int64_t(layer->corrections),
                        serialize_personal(*layer), std::nullopt, now};
    const double a = personal_agreement(ex, 5, o);
    if (a >= 0) row.agreement = a;
    auto r = store_.store_personal(row);
    std::lock_guard lock(mutex_);
    if (layer_ == layer) status_.agreement = row.agreement;
    status_.last_error = r ? "" : r.error();
}

} // namespace sieve
