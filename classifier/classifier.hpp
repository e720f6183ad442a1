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
#include <utility>
#include <vector>

namespace sieve {

struct model;     // classifier/model.hpp
struct judge_state;
struct personal_layer;   // classifier/personal.hpp
struct personal_input;
struct personal_options;

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

    // Never throws for any input text. With a non-empty personal layer (`layer`, else the one
    // attached by with_personal) the verdict heads get its deltas and the judge is named
    // "sieve-local <model> + personal <n> corrections <hash>".
    judgment judge(const paper& p, const personal_layer* layer = nullptr) const;

    // The same judge with `layer` attached (null or empty: the shipped model). Cheap: the
    // model and criteria are shared.
    classifier with_personal(std::shared_ptr<const personal_layer> layer) const;
    const personal_layer* personal() const { return personal_.get(); } // null: none attached

    // What the personal layer reads of p (features scaled by o, the shipped margins).
    personal_input inspect(const paper& p, const personal_options& o) const;

    const sieve::criteria& active_criteria() const;
    // The shipped model's version, then " + personal <n> corrections <hash>" when a non-empty
    // layer is attached: what judgments are cached by.
    const std::string& model_version() const;
    const std::string& shipped_model_version() const;
    const std::string& criteria_version() const { return active_criteria().version; }

private:
    struct scored;
    scored score(const paper& p) const;
    personal_input to_personal_input(const scored& r,
                                     const std::vector<std::pair<std::size_t, double>>& tops,
                                     const personal_options& o) const;
    explicit classifier(std::shared_ptr<const judge_state> s);
    std::shared_ptr<const judge_state> state_;
    std::shared_ptr<const personal_layer> personal_;
    std::string version_;
};

} // namespace sieve
