// Chooses the spans of a paper's own text that support a judgment.
#pragma once
#include "classifier/criteria.hpp"
#include "classifier/features.hpp"
#include "classifier/judgment.hpp"
#include "classifier/paper.hpp"

#include <vector>

namespace sieve {

// From the criteria phrase matches in a's title and abstract, picks at most max_items distinct
// phrases, those that bear on j.label and j.topics first (relevant: the topics' Relevant lines and
// the Relevant keywords; application: Application keywords and topics' Irrelevant lines;
// irrelevant: Irrelevant keywords). Offsets and quotes refer to p's fields exactly as given.
// Matches whose words are not written as in the criteria (criteria_matcher::written_as_phrase)
// and lone generic words ("accuracy") are not shown.
std::vector<evidence> select_evidence(const paper& p, const analysed_paper& a, const criteria& c,
                                      const criteria_matcher& m, const judgment& j,
                                      std::size_t max_items = 6);

} // namespace sieve
