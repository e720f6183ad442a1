// Chooses the spans of a paper's own text that support a judgment: the phrases whose n-grams
// contributed most to the heads that decided it (contributions.hpp), each tied to the head it
// weighed in and, where one fits, the criteria line it supports.
#pragma once
#include "classifier/contributions.hpp"
#include "classifier/criteria.hpp"
#include "classifier/features.hpp"
#include "classifier/fields.hpp"
#include "classifier/judgment.hpp"
#include "classifier/paper.hpp"

#include <string>
#include <vector>

namespace sieve {

// Every criteria line's stemmed words, built once per criteria: ties a phrase to the line of a
// topic it shares most words with.
class evidence_index {
public:
    explicit evidence_index(const criteria& c);

    // Among `lines` (indexes into criteria::lines), the one sharing most distinct words with
    // toks [first, last) (words of the line's phrases count twice); the first on a tie.
    std::size_t closest(const std::vector<std::size_t>& lines, const std::vector<token>& toks,
                        std::uint32_t first, std::uint32_t last) const;

private:
    std::vector<std::vector<std::string>> phrase_terms_, text_terms_; // per line, sorted
};

// What the model computed for one paper (classifier.cpp).
struct model_reading {
    const model& mdl;
    const text_scorer& scorer;
    const sparse_vector& x;
    const std::vector<gram_origin>& grams; // x's title and abstract n-grams (make_features)
    const text_scores& scores;
    const field_model& fields;
    const field_scores& field; // fields.score(x); empty when not computed
};

// The research field the field heads read in the text: the one with the largest margin (empty
// name when there are no field heads or s was not computed).
struct field_reading {
    std::string name;
    std::size_t index = 0;
    double probability = 0;
};
field_reading read_field(const field_model& fm, const field_scores& s);
// The field a note names ("" for none): none for relevant papers, f (read_field's) otherwise,
// except that machine-learning work judged irrelevant (not outside_ml) gets one only with
// probability >= 0.15. An application or outside-ML note always gets one when f names one.
std::string note_field(const field_reading& f, verdict label, bool outside_ml);

// At most max_items spans (no quote twice, none inside another; each an exact substring of
// its field) for j's verdict, topics, field (j.field) and outside_ml:
// - relevant: per assigned topic (two for the first, one for the second) the phrases that
//   weighed most in its "topic:" head and in "meta:relevant", tied to the topic's Relevant line
//   they share most words with (or whose criteria phrase they contain); then "meta:relevant";
// - application: phrases of the field's head (with "meta:application"), then of
//   "meta:application", then of the first topic's head;
// - irrelevant: the Irrelevant keywords found (an excluded area); then, outside machine
//   learning, the field's phrases and what weighed against "meta:ml"; otherwise what weighed
//   against "meta:relevant" and the field's phrases.
// Without the model's heads (or when they find no phrase) criteria phrase matches are used,
// those that bear on the verdict first, lone generic words never.
std::vector<evidence> select_evidence(const paper& p, const analysed_paper& a, const criteria& c,
                                      const criteria_matcher& m, const evidence_index& ix,
                                      const model_reading& r, const judgment& j,
                                      std::size_t max_items = 5);

} // namespace sieve
