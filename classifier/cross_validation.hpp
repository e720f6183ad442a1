// K-fold cross-validation of the model over a set of seed-exact papers, without leaks: parts of
// the model trained on the corpus never see an evaluated paper, and the seed-exact parts are
// trained per fold on the other folds only. Pure and deterministic (two threads).
#pragma once
#include "classifier/criteria.hpp"
#include "classifier/evaluation.hpp"
#include "classifier/features.hpp"
#include "classifier/training.hpp"

#include <functional>
#include <string_view>
#include <vector>

namespace sieve {

struct cv_predictions {
    std::vector<std::size_t> which; // indexes into data, fold by fold
    std::vector<prediction> pred;   // pred[k] is the judgment of data[which[k]]
};

// fold[i] in [0, k) for the evaluated papers, -1 for papers that only train.
cv_predictions cross_validate(const std::vector<labelled_paper>& data,
                              const std::vector<sparse_vector>& x, const std::vector<int>& fold,
                              int k, const criteria& c, const training_config& cfg);

// The k models cross_validate judges with, one at a time: fold f's (stage 2 trained without the
// papers of fold f) and the indexes of the papers it holds out.
void for_each_fold_model(const std::vector<labelled_paper>& data,
                         const std::vector<sparse_vector>& x, const std::vector<int>& fold, int k,
                         const criteria& c, const training_config& cfg,
                         const std::function<void(const model&, const std::vector<std::size_t>&)>&
                             visit);

// The same folds judged by a peer of peers.hpp ("keywords" or "tfidf" with liblinear cost
// peer_cost); empty for another name.
cv_predictions cross_validate_peer(std::string_view peer, const std::vector<labelled_paper>& data,
                                   const std::vector<int>& fold, int k, const criteria& c,
                                   double peer_cost);

// Judges data[which[...]] with the model m (two threads).
std::vector<prediction> judge_papers(const model& m, const criteria& c,
                                     const std::vector<labelled_paper>& data,
                                     const std::vector<std::size_t>& which);

} // namespace sieve
