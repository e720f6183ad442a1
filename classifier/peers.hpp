// Plain peers `sieve eval --cv K --peer NAME` measures on the same folds as the model, for
// docs/benchmarks.md: "keywords" (criteria phrase matching, no learning) and "tfidf" (hashed
// tf-idf of title + abstract word 1-2 grams, as scikit-learn's TfidfVectorizer with
// sublinear_tf, and liblinear logistic regression: one-vs-rest 3-way verdict and one head per
// topic), trained on the training folds' agreed seed-exact papers only. Pure and deterministic.
#pragma once
#include "classifier/criteria.hpp"
#include "classifier/evaluation.hpp"
#include "classifier/training.hpp"

#include <vector>

namespace sieve {

// Keyword matching: relevant when a topic's Relevant phrase or a Relevant keyword is in the
// title or abstract and no Irrelevant keyword is; else application when an Application keyword
// or a topic's Irrelevant phrase is; else irrelevant. Topics: those with a Relevant phrase.
prediction keyword_peer(const paper& p, const criteria& c);

// The tf-idf peer trained on data[train] (agreed verdicts only) judging data[test].
std::vector<prediction> tfidf_peer(const std::vector<labelled_paper>& data,
                                   const std::vector<std::size_t>& train,
                                   const std::vector<std::size_t>& test, const criteria& c,
                                   double cost);

} // namespace sieve
