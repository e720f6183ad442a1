// The judge: criteria + model -> judgment for a paper. Immutable after creation, so one instance
// may be shared by many threads; swap the whole object to change criteria (hot reload).
#pragma once
#include "classifier/criteria.hpp"
#include "classifier/judgment.hpp"
#include "classifier/paper.hpp"

#include <boost/system/result.hpp>
#include <memory>
#include <string>
#include <string_view>

namespace sieve {

struct model;     // classifier/model.hpp
struct judge_state;

class classifier {
public:
    // Parses the criteria text and the model file's text. Errors carry a one-line reason
    // (the criteria error names its line).
    static boost::system::result<classifier, std::string>
    create(std::string_view criteria_text, std::string_view model_text);

    // From already parsed parts (training and evaluation).
    static classifier from_parts(sieve::criteria c, sieve::model m);

    // The embedded seed criteria and the embedded model. Throws only if the build is broken.
    static classifier create_default();

    judgment judge(const paper& p) const; // never throws for any input text

    const sieve::criteria& active_criteria() const;
    const std::string& model_version() const;
    const std::string& criteria_version() const { return active_criteria().version; }

private:
    explicit classifier(std::shared_ptr<const judge_state> s) : state_(std::move(s)) {}
    std::shared_ptr<const judge_state> state_;
};

} // namespace sieve
