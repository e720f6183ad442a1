// The personal layer: the user's corrections learned on top of the shipped model. Pure and
// deterministic (no I/O; the same corrections in the same order give the same bytes).
//
// Method (docs/classifier.md, "Personal layer"): for each verdict head ("meta:relevant",
// "meta:application") a delta weight vector d over the paper's sparse features z
// (personal_input::z: the shipped model's hashed text and criteria features scaled by
// `text_scale`, the shipped topic scores scaled by `topic_scale`, one feature per criteria phrase
// found scaled by `phrase_scale`, and optionally a constant) is added to the shipped head's
// margin. d is the elastic-net (L1 + L2) logistic regression with the shipped margin as offset
// (personal_solver.hpp) — so d = 0 is the shipped model, a feature moves only when the
// corrections that have it agree, and training does not depend on how the shipped model was
// trained.
#pragma once
#include "classifier/features.hpp"
#include "classifier/judgment.hpp"

#include <boost/system/result.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sieve {

// What the layer reads of one paper (classifier::inspect).
struct personal_input {
    sparse_vector z;              // scaled features, sorted by index
    double relevant_margin = 0;   // shipped: logit(p relevant) - logit(threshold); >= 0: relevant
    double application_margin = 0; // the same for application (after the not-ML cap)
    bool forced_irrelevant = false; // unreadable text with no criteria phrase: always irrelevant
    verdict shipped = verdict::irrelevant; // the shipped model's verdict
    std::uint64_t paper_key = 0;  // personal_paper_key of its title and abstract (0: none)
    // Per criteria topic: its name and the shipped topic margin, logit(score) (>= 0: assigned).
    std::vector<std::pair<std::string, double>> topic_margins;
};

// A paper's identity for the layer's memory of corrections: FNV-1a over its title and abstract
// (trimmed of ASCII spaces); never 0.
std::uint64_t personal_paper_key(std::string_view title, std::string_view abstract);

// One head's delta: sorted (index, weight) pairs.
struct personal_head {
    std::vector<std::pair<std::uint32_t, float>> w;
    double margin(const sparse_vector& z) const; // d . z
};

struct personal_options {
    // Defaults chosen with `sieve eval --simulate-user` (docs/benchmarks.md, "Personal layer").
    double lambda = 1.0;        // L2 strength (per correction weight 1)
    // L1 strength (0: none, solved in the dual; personal_solver.hpp): a feature moves only
    // once the corrections that have it agree by more than this.
    double l1 = 10.0;
    int passes = 12;            // coordinate passes (over the examples or the features)
    float text_scale = 2.0f;    // z: the shipped features x (L2-normalised text) times this
    float topic_scale = 3.0f;   // z: each topic's shipped score (0.5: assigned) times this
    float phrase_scale = 1.75f; // z: each criteria phrase found in title or abstract, this
    // z: the topic and phrase features again under the shipped verdict's name, times this (0:
    // none), so that a shift could be learned for what Sieve called irrelevant alone. Off: it
    // aligns the model's own errors (docs/benchmarks.md).
    float shipped_copy = 0.0f;
    float bias = 0.0f;          // z: a constant feature (0: none)
    bool idf = true;            // weigh z's features by their idf over the examples learned from
    // > 0: a correction weighs min(1, max(0.1, |m| / margin_cost)) in a head whose shipped
    // margin m it contradicts: a confident error is the user's taste, a near miss mostly noise.
    double margin_cost = 8;
    // Topic heads: learned at all, and only for a topic that at least this many corrections
    // contradict (a topic the user tagged that Sieve did not assign, or the reverse); with
    // fewer, l1 would leave every weight at 0 anyway.
    bool topics = true;
    std::size_t min_topic_contradictions = 5;
};

struct personal_layer {
    std::size_t corrections = 0;
    std::string hash;           // 16 hex digits over the count and weights ("" when empty)
    personal_head relevant, application;
    // The corrected papers by paper_key, sorted, with the user's verdict: a paper the user
    // corrected gets their verdict whatever the heads say (one correction moves no feature).
    std::vector<std::pair<std::uint64_t, verdict>> remembered_papers;
    // Per topic name (sorted, only heads with a weight): the topic head's delta.
    std::vector<std::pair<std::string, personal_head>> topics;

    bool empty() const { return corrections == 0; }
    std::optional<verdict> remembered(std::uint64_t paper_key) const;
    // The topic head's delta for z (0 when the layer has none for that topic).
    double topic_delta(std::string_view topic, const sparse_vector& z) const;
    // "personal 12 corrections 0123456789abcdef" ("" when empty): part of the judge's name.
    std::string name() const;
};

// One correction: the paper as the layer reads it and the user's verdict.
struct personal_example {
    personal_input in;
    verdict label = verdict::irrelevant;
    double weight = 1.0;
    bool anchor = false; // not a correction: a paper labelled by the shipped model itself
    // The user's topics for the paper (the topic tags the correction carried); with
    // topics_known, a topic head learns from it: positive for these, negative for the others.
    std::vector<std::string> topics = {};
    bool topics_known = false;
};

// z's feature for criteria phrase ph ("p:phrase", its text in lower case: a phrase of the same
// text in several lines, or in an edited criteria file, is one feature) and for a topic
// ("p:topic", its name); with `shipped`, the copy under that shipped verdict
// ("p:phrase@irrelevant", ...).
std::uint32_t personal_phrase_index(const phrase& ph, unsigned hash_bits,
                                    std::optional<verdict> shipped = std::nullopt);
std::uint32_t personal_topic_index(std::string_view topic, unsigned hash_bits,
                                   std::optional<verdict> shipped = std::nullopt);

// The layer's verdict for a paper: shipped margins plus the deltas.
verdict personal_verdict(const personal_layer& l, const personal_input& in);
// The deltas of the two heads for z (0, 0 for the empty layer).
std::pair<double, double> personal_deltas(const personal_layer& l, const sparse_vector& z);

// The verdict heads from every correction; a topic head per topic of the examples'
// topic_margins from those with topics_known (offset: the shipped topic margin).
personal_layer train_personal(const std::vector<personal_example>& corrections,
                              const personal_options& o = {});

// Share of corrections whose verdict the layer gives when trained without them (k folds by
// position modulo k; k is capped at the number of corrections; the topic heads are not
// learned for it). -1 with fewer than 2.
double personal_agreement(const std::vector<personal_example>& corrections, int k = 5,
                          const personal_options& o = {});

// The text form's version: what z holds and how it is learned. A layer of another version
// (learned over other features) is refused by parse_personal, so it is learned again.
// 1: text and topic features; 2: also the criteria phrases, and the remembered papers;
// 3: also the topic heads.
inline constexpr int personal_format = 3;

// Text form: "sieve-personal <personal_format>", "hash <16 hex>", "corrections <n>", "head
// relevant <m>", then m lines "<index> <weight>", the same for "head application", then
// "remembered <k>" and k lines "<16 hex paper key> <verdict>", then "topics <t>" and per topic
// "topic <m> <name>" and m lines "<index> <weight>"; the hash covers every line after its own, so
// a damaged file is refused (never served).
std::string serialize_personal(const personal_layer& l);
boost::system::result<personal_layer, std::string> parse_personal(std::string_view text);

} // namespace sieve
