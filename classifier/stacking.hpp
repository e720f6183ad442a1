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
    std::vector<double> field;     // heads "field:<name>" in model order (none: no field heads)
    std::vector<double> meta_text; // per stage-2 head (text_scorer::meta_slot): the part of its
                                   // margin due to the text features (scaled, indexes >= 64)
};

// Scores every text head, and the text part of every stage-2 ("meta:") head, in one pass over a
// feature vector: the heads' weights are interleaved so that one feature's weights share a cache
// line. A stage-2 head's text weights are stored multiplied by the text weight it was trained
// with (the model's params "meta_text_weight", "topic_text_weight" for "meta:topic:" heads).
// Immutable; thread-safe to share.
class text_scorer {
public:
    text_scorer(const model& m, const criteria& c);
    text_scores operator()(const sparse_vector& x) const;

    // The index of a stage-2 head in text_scores::meta_text; -1 when the model lacks it.
    int meta_slot(std::string_view head) const;

    // Frees the weights the scorer has copied: stage-1 heads keep bias and threshold, stage-2
    // heads their weights below index 64 (the meta features).
    void release_copied_weights(model& m) const;

    // For notes (contributions.cpp): the slot of any head scored here (-1: none), and the
    // weights of feature `index` (slot s at row[s]; stage-2 heads' already multiplied by their
    // text weight, 0 below index 64); nullptr when no head has a weight that far.
    int slot(std::string_view head) const;
    const float* row(std::uint32_t index) const {
        const std::size_t at = std::size_t(index) * stride_;
        return stride_ && at < w_.size() ? &w_[at] : nullptr;
    }

private:
    std::vector<std::string> names_;   // text heads, then stage-2 heads, one slot each
    std::size_t stage1_ = 0;           // slots [0, stage1_) are text heads
    std::vector<double> bias_;
    std::vector<int> topic_slot_;      // per criteria topic; -1: no head
    std::size_t fields_ = 0;           // slots [fields_, stage1_) are "field:" heads
    std::size_t stride_ = 0;
    weight_vector w_; // w_[index * stride_ + slot]
};

// The margin of stage-2 head h for meta features `meta` (indexes < 64, text weight 0) and the
// text part the scorer computed for it.
double meta_margin(const linear_head& h, const sparse_vector& meta, double text_part);

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
