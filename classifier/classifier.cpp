// Placeholder judge until the model lands: everything irrelevant, no evidence.
#include "classifier/classifier.hpp"

#include <stdexcept>

namespace sieve {

struct judge_state {
    sieve::criteria crit;
    std::string model_version = "none";
};

boost::system::result<classifier, std::string>
classifier::create(std::string_view criteria_text, std::string_view /*model_text*/) {
    auto c = parse_criteria(criteria_text);
    if (!c) return c.error().what();
    auto s = std::make_shared<judge_state>();
    s->crit = std::move(*c);
    return classifier(std::move(s));
}

classifier classifier::create_default() {
    auto c = create(default_criteria_text(), {});
    if (!c) throw std::runtime_error("embedded criteria: " + c.error());
    return std::move(*c);
}

judgment classifier::judge(const paper&) const {
    judgment j;
    j.judge = "sieve-local " + state_->model_version;
    return j;
}

const sieve::criteria& classifier::active_criteria() const { return state_->crit; }
const std::string& classifier::model_version() const { return state_->model_version; }

} // namespace sieve
