// The second stage of the model: small heads learned from seed-exact judgments over the text
// heads' scores and the criteria evidence ("meta" features), so that a few hundred exact
// judgments can correct what the large, noisily labelled corpus taught the text heads.
#pragma once
#include "classifier/criteria.hpp"
#include "classifier/features.hpp"
#include "classifier/model.hpp"

#include <array>
#include <vector>

namespace sieve {

// Margins of the text heads for one paper; a head the model lacks scores 0.
struct text_scores {
    double relevance = 0;          // head "relevance": the corpus filter's notion of relevant
    double domain = 0;             // head "domain": written for an application field
    std::vector<double> topic;     // per criteria topic: head "topic:<name>"
    std::vector<bool> topic_known; // whether the model has that topic's head
};

// Scores every text head in one pass over a feature vector: the heads' weights are interleaved
// so that one feature's weights share a cache line. Immutable; thread-safe to share.
class text_scorer {
public:
    text_scorer(const model& m, const criteria& c);
    text_scores operator()(const sparse_vector& x) const;

    // Frees the per-head weight arrays the scorer has copied (heads keep bias and threshold).
    void release_copied_weights(model& m) const;

private:
    std::vector<std::string> names_;   // text heads, one slot each
    std::vector<double> bias_;
    std::vector<int> topic_slot_;      // per criteria topic; -1: no head
    std::size_t stride_ = 0;
    weight_vector w_; // w_[index * stride_ + slot]
};

// Distinct phrases matched per line kind (indexed by line_kind), only topic `topic`'s lines
// when topic != -2.
std::array<int, 7> match_counts(const std::vector<phrase_match>& ms, const criteria& c,
                                int topic = -2);

// Features of the verdict heads "meta:relevant" and "meta:application": the meta features at
// indexes below 64, then the paper's text features x (scaled by text_weight; none when 0).
sparse_vector verdict_meta_features(const text_scores& s, const analysed_paper& a,
                                    const criteria& c, const sparse_vector& x,
                                    float text_weight);

// Features of the head "meta:topic:<name>" of topic t (text features as above).
sparse_vector topic_meta_features(const text_scores& s, std::size_t t, const analysed_paper& a,
                                  const criteria& c, const sparse_vector& x, float text_weight);

} // namespace sieve
