// What decided a judgment, word by word: the contributions of a paper's title and abstract
// n-grams to the margins of the model's heads, mapped back to the tokens they came from (every
// token keeps its byte span), and the readable phrases that carry the most of them.
#pragma once
#include "classifier/criteria.hpp"
#include "classifier/features.hpp"
#include "classifier/model.hpp"
#include "classifier/stacking.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sieve {

// A weighted sum of heads a text_scorer scores: its text margin is the sum of coefficient x that
// head's text margin (a stage-1 head's margin less its bias; a stage-2 head's text part).
struct head_mix {
    std::vector<std::pair<int, float>> terms; // (text_scorer::slot, coefficient)
    std::vector<float> extra;                 // per feature position of x: a further weight
                                              // (a head scored elsewhere); empty: none
};

// One head alone (an empty mix when the scorer lacks it).
head_mix single_head(const text_scorer& sc, std::string_view head);

// Stage-2 head `meta_head` ("meta:relevant", "meta:application", "meta:ml") as a mix of text
// heads: its own text part (coefficient 1) plus each stage-1 head named in `through`
// ("relevance", "domain", "topic:<name>", "field:<name>") with coefficient
// (M - M') / (s - bias), where s is that head's margin, M the stage-2 margin and M' the stage-2
// margin with s set to the head's bias (no text). Stage-1 heads the model lacks, or whose margin
// is its bias, are left out. Empty when the model lacks meta_head.
head_mix verdict_mix(const model& m, const text_scorer& sc, std::string_view meta_head,
                     const text_scores& ts, const analysed_paper& a, const criteria& c,
                     const std::vector<std::string>& through);

// Each mix's contribution to its margin per n-gram occurrence and per token. A repeated n-gram's
// whole contribution is counted at each of its occurrences. Keeps a reference to grams.
class contributions {
public:
    // grams: as make_features gives them for x; the token counts of title and abstract.
    contributions(const std::vector<gram_origin>& grams, const sparse_vector& x,
                  const text_scorer& sc, const std::vector<head_mix>& mixes,
                  std::size_t title_tokens, std::size_t abstract_tokens);

    // Per token of the title (abstract = false) or abstract: its unigrams' contribution plus
    // half of each bigram it is an end of (stopwords: 0).
    std::span<const float> tokens(std::size_t mix, bool abstract) const;

    // The contribution of the n-grams lying wholly within tokens [first, last) of a field.
    double span(std::size_t mix, bool abstract, std::uint32_t first, std::uint32_t last) const;

private:
    const std::vector<gram_origin>& grams_;
    std::size_t mixes_ = 0, title_n_ = 0, abstract_n_ = 0;
    std::vector<float> feature_;     // feature_[x position * mixes_ + mix]
    std::vector<std::int32_t> at_;   // per gram: its position in x, -1 when none weighs
    std::vector<float> tokens_;      // [mix][title tokens, then abstract tokens]
    std::vector<std::uint32_t> runs_; // starts of the runs of grams_ of one field with
                                      // non-decreasing ends, then grams_.size()
};

// A phrase of a field: tokens [first, last).
struct phrase_span {
    bool abstract = false;
    std::uint32_t first = 0, last = 0;
    double score = 0;
};

// One field's tokens and text, its clause boundaries and the tokens already quoted.
class phrase_field {
public:
    phrase_field(const std::vector<token>& toks, std::string_view text, bool abstract);

    // The best phrase under per-token scores s: 2..12 words within one clause (only spaces,
    // hyphens, slashes, apostrophes or a number's point between its words - no other
    // punctuation, markup or LaTeX), beginning and ending with a word that carries it (scored
    // above `step`, not a stopword or number), at least two such words (no lone word), no token
    // already taken. Its score is the sum of s less `step` per word; nullopt when none scores
    // above min_score. A phrase is widened to whole written words (not cut at a hyphen).
    std::optional<phrase_span> best(std::span<const float> s, double step,
                                    double min_score) const;

    void take(const phrase_span& p);  // marks its tokens quoted
    std::string_view quote(const phrase_span& p) const;
    std::uint32_t begin(const phrase_span& p) const { return toks_[p.first].begin; }
    std::uint32_t end(const phrase_span& p) const { return toks_[p.last - 1].end; }
    const std::vector<token>& toks() const { return toks_; }
    std::string_view whole() const { return text_; }
    bool abstract() const { return abstract_; }

private:
    const std::vector<token>& toks_;
    std::string_view text_;
    bool abstract_;
    std::vector<std::uint8_t> joined_;  // joined_[i]: tokens i and i + 1 are in one clause
    std::vector<std::uint8_t> tight_;   // ... and written as one word ("KV-cache", "4.38")
    std::vector<std::uint8_t> content_; // not a stopword or number
    std::vector<std::uint8_t> taken_;

    // Ends p on a whole phrase: a dangling connective at either end ("via", "using") is dropped,
    // and a last word followed in its clause by an unquoted content word that does not weigh
    // against the head ("Physics-Informed Neural" + "Networks") takes that word.
    void finish(phrase_span& p, std::span<const float> s) const;
};

} // namespace sieve
