// Training the model's heads from labelled papers. Pure and deterministic.
#pragma once
#include "classifier/criteria.hpp"
#include "classifier/judgment.hpp"
#include "classifier/model.hpp"
#include "classifier/paper.hpp"

#include <optional>
#include <string>
#include <vector>

namespace sieve {

struct labelled_paper {
    paper p;
    int relevant = -1;               // noisy corpus label: 1 relevant, 0 not, -1 unknown
    std::optional<verdict> gold;     // seed-exact 3-way verdict (agreed judges), when known
    std::vector<std::string> topics; // topic names as in the criteria file
    bool topics_known = false;       // topics is a complete list (else: unknown)
    bool gold_topics = false;        // topics come from the seed-exact judges
    bool seed_exact_file = false;    // came from a file of seed-exact judgments (even ambiguous)
    std::vector<std::string> categories; // arXiv categories (training signal for "domain")
    std::string stratum;             // how a seed-exact file sampled it ("pos", "wild", ...)
    std::vector<std::string> reasons; // the seed-exact judges' one-line reasons (field labels)
};

// True when arXiv categories place a paper in an application field (vision, robotics, signal
// processing, biology, physics, finance, ...) rather than ML, AI, NLP or computing systems.
bool application_field(const std::vector<std::string>& categories);

// The readable research fields arXiv categories are grouped into ("Computer Vision", ...), and
// the field of one category (-1: none, e.g. cs.LG, cs.AI, stat.ML).
const std::vector<std::string>& field_names();
int arxiv_field(std::string_view category);

// The corpus' snake_case topic labels ("compression_efficiency") as seed topic names
// ("Model Compression and Efficiency"); empty for "other" or unknown labels.
std::string corpus_topic_name(std::string_view label);

struct training_config {
    unsigned hash_bits = 20;
    double c_relevance = 8.0;
    double c_domain = 1.0;
    double c_topic = 4.0;
    double relevance_threshold = 0.35;
    double application_threshold = 0.5;
    double topic_threshold = 0.25;       // chosen by 5-fold CV (docs/benchmarks.md)
    int wild_copies = 1;             // weight of the "wild" stratum's papers in the verdict heads
    bool fields = false;             // stage-1 heads "field:<name>" from the arXiv categories
    double c_field = 1.0;
    double field_balance = 0;        // field heads: class weight of a field's papers (neg/pos)^this
    double c_reason_field = 4.0;     // the same two for the reason-trained field heads
    double reason_field_balance = 0.5; // (docs/notes.md: chosen on a split of judged-2)
    double prune_reason_field = 0.3; // weights below this magnitude dropped from those heads
    double c_meta = 10.0;
    double ml_threshold = 0.85;      // head "meta:ml" (is it ML at all?) and its threshold; 0: none
    double c_meta_topic = 0;         // the stage-2 topic heads' cost (0: c_meta)
    double topic_positive_weight = 1.0; // class weight of a topic's papers in its stage-2 head
    double meta_text_weight = 6.0;   // text features in the verdict heads, relative weight
    double topic_text_weight = 0.5;  // text features in the topic heads, relative weight
    double meta_relevant_threshold = 0.4; // chosen by 5-fold CV (docs/benchmarks.md)
    double prune = 0.1;              // weights below this magnitude are set to zero
    double prune_meta = 0.02;        // the same for stage-2 heads (after idf is folded in)
    double min_df = 3;               // with idf: stage-2 text features in fewer gold papers dropped
    bool idf = true;                 // stage-2 text features weighted by idf over the gold papers
    bool l1 = false;                 // L1-regularised heads (sparse model file)
    bool relevance_only = false;     // experiments: train the relevance head only
};

// Sets one field of cfg from "name=value" (names as the fields above); false if unknown/bad.
bool set_training_option(training_config& cfg, std::string_view assignment);

// Feature vectors of every paper (two threads).
std::vector<sparse_vector> featurize(const std::vector<labelled_paper>& data, const criteria& c,
                                     unsigned hash_bits);

// Stage 1, from the corpus papers at `use` that are not seed-exact: text heads "relevance"
// (corpus label), "domain" (application_field of the categories), "topic:<name>" (corpus
// positives' topics) and, with cfg.fields, "field:<name>" (arxiv_field of the categories).
model train_text_heads(const std::vector<labelled_paper>& data,
                       const std::vector<sparse_vector>& x, const std::vector<std::size_t>& use,
                       const criteria& c, const training_config& cfg);

// Stage 2, from the agreed seed-exact papers at `use`: heads "meta:relevant", "meta:application"
// (among the non-relevant), "meta:ml" (machine learning at all: every paper but the "wild"
// stratum's irrelevant ones; with cfg.ml_threshold > 0) and "meta:topic:<name>" over
// stacking.hpp's meta features and the idf-weighted text. Adds nothing when there are none.
void train_meta_heads(model& m, const std::vector<labelled_paper>& data,
                      const std::vector<std::size_t>& use, const criteria& c,
                      const training_config& cfg);

// Both stages.
model train_model(const std::vector<labelled_paper>& data, const std::vector<sparse_vector>& x,
                  const std::vector<std::size_t>& use, const criteria& c,
                  const training_config& cfg);

} // namespace sieve
