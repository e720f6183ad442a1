// Scoring predictions against labelled papers (`sieve eval`): relevant F1 and ROC AUC against the
// corpus label and against the agreed seed-exact verdicts, 3-way accuracy, topic F1, overall and
// per stratum. Pure: returns the report as text.
#pragma once
#include "classifier/criteria.hpp"
#include "classifier/judgment.hpp"
#include "classifier/training.hpp"

#include <map>
#include <string>
#include <vector>

namespace sieve {

struct prediction {
    verdict label = verdict::irrelevant;
    double relevance = 0; // score for ROC AUC (higher: more likely relevant)
    std::vector<std::string> topics;
};

// The headline figures over the agreed seed-exact papers of one group.
struct gold_figures {
    std::size_t n = 0;
    double relevant_f1 = 0, relevant_precision = 0, relevant_recall = 0;
    double three_way = 0;
    double topic_macro_f1 = 0; // over the topics with support or predictions in the group
};

// Figures of the papers d[which[k]] predicted as pred[k] (agreed seed-exact papers only);
// `weight_of` (optional) weighs each paper by its stratum (absent strata weigh 1).
gold_figures score_gold(const std::vector<labelled_paper>& d, const std::vector<std::size_t>& which,
                        const std::vector<prediction>& pred, const criteria& c,
                        const std::map<std::string, double>* weight_of = nullptr);

// The full report: totals, confusion, topic F1 and, when the papers come from more than one
// stratum, one line per stratum. Lines as "3-way accuracy (agreed verdicts): 0.812".
std::string evaluation_report(const std::vector<labelled_paper>& d,
                              const std::vector<std::size_t>& which,
                              const std::vector<prediction>& pred, const criteria& c);

} // namespace sieve
