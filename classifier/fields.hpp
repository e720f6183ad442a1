// The research fields a note names ("applies machine learning to Neuroscience"): arXiv
// categories grouped into readable fields, one learned head per field over the model's hashed
// text features, trained on the corpus papers' categories. The heads live in a file of their own
// (data/model/sieve-fields.txt, compiled in) in a compact sparse table, apart from the model's
// interleaved table, and are scored only when a note needs the field.
// File format (reproducible byte for byte from the same training data):
//   sieve-fields 1
//   version <16 hex digits: FNV-1a of every line after this one>
//   hash_bits <n>
//   field\t<name>\t<bias>\t<number of weights>
//   <index> <weight>            (one line per non-zero weight, increasing index)
#pragma once
#include "classifier/features.hpp"
#include "classifier/model.hpp"

#include <boost/system/result.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sieve {

// The readable fields, and the field of one arXiv category (-1: none - the ML core cs.LG,
// cs.AI, stat.ML, cs.NE - or unknown). docs/classifier.md lists the grouping.
const std::vector<std::string>& note_field_names();
int note_field_of(std::string_view category);

// The field heads' margins for one paper and, per feature of x, where its weights are.
struct field_scores {
    std::vector<double> margin;                            // per field
    std::vector<std::pair<std::uint32_t, std::uint32_t>> at; // per x position: [begin, end)
};

class field_model {
public:
    unsigned hash_bits = 20;
    std::string version;
    std::vector<std::string> names;
    std::vector<double> bias;

    bool empty() const { return names.empty(); }
    field_scores score(const sparse_vector& x) const;
    // Per x position, field f's weight (0 where none).
    std::vector<float> weights(const sparse_vector& x, const field_scores& s, std::size_t f) const;

    // From heads named by field (their dense weights are read and may then be dropped).
    static field_model from_heads(const std::vector<linear_head>& heads, unsigned hash_bits);
    std::string serialize() const;

private:
    std::vector<std::uint32_t> start_; // CSR: feature i's weights are entries_[start_[i], start_[i+1])
    std::vector<std::pair<std::uint32_t, float>> entries_; // (field, weight), by index then field
    friend boost::system::result<field_model, std::string> parse_field_model(std::string_view);
};

// Errors name the line: "fields line 7: expected '<index> <weight>'".
boost::system::result<field_model, std::string> parse_field_model(std::string_view text);

struct labelled_paper;
struct training_config;

// One head per field from the papers at `use` that have categories (corpus and seed-exact
// files alike; judged-2's `wild` papers come from outside the ML listings): label 1 when one of
// its categories belongs to the field. Cost
// cfg.c_field, weights below cfg.prune dropped; a field with fewer than 20 papers is left out.
field_model train_field_model(const std::vector<labelled_paper>& data,
                              const std::vector<sparse_vector>& x,
                              const std::vector<std::size_t>& use, const training_config& cfg);

} // namespace sieve
