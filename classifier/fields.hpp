// The research fields a note names ("applies machine learning to Neuroscience"): arXiv
// categories grouped into readable fields, one learned head per field over the model's hashed
// text features, trained on the corpus papers' categories. The heads live in a file of their own
// (data/model/sieve-fields.txt, compiled in) in a compact sparse table, apart from the model's
// interleaved table, and are scored only when a note needs the field.
// Two kinds of head: one per category field (labels: the paper's arXiv categories), and one per
// field the seed-exact judges' reasons name (field_reasons.hpp: "Medical Imaging", "Robotics"),
// trained on the judged papers that are not relevant; the note names a reason field when its
// head is confident, as the judges name the domain an ML paper is applied to.
// File format (reproducible byte for byte from the same training data):
//   sieve-fields 2
//   version <16 hex digits: FNV-1a of every line after this one>
//   hash_bits <n>
//   field\t<name>\t<bias>\t<number of weights>\t<categories|reasons>
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
    std::vector<bool> from_reasons; // per head: trained on the judges' reasons (else categories)

    bool empty() const { return names.empty(); }
    field_scores score(const sparse_vector& x) const;
    // Per x position, field f's weight (0 where none).
    std::vector<float> weights(const sparse_vector& x, const field_scores& s, std::size_t f) const;

    // From heads named by field (their dense weights are read and may then be dropped);
    // from_reasons: per head, as the member.
    static field_model from_heads(const std::vector<linear_head>& heads,
                                  const std::vector<bool>& from_reasons, unsigned hash_bits);
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

// One head per category field from the papers at `use` that have categories (corpus and
// seed-exact files alike; judged-2's `wild` papers come from outside the ML listings): label 1
// when one of its categories belongs to the field. Then one head per reason field from the papers
// at `use` with an agreed seed-exact verdict other than relevant and the judges' reasons: label 1
// when a reason names the field (reason_fields). Cost cfg.c_field (cfg.c_reason_field),
// class weights (neg/pos)^cfg.field_balance (^cfg.reason_field_balance), weights below cfg.prune
// (cfg.prune_reason_field) dropped; a field with fewer than 20 positive papers is left out.
field_model train_field_model(const std::vector<labelled_paper>& data,
                              const std::vector<sparse_vector>& x,
                              const std::vector<std::size_t>& use, const training_config& cfg);

} // namespace sieve
