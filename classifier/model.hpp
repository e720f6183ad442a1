// The learned part of the judge: logistic-regression heads over hashed features.
// Text file format (reproducible byte for byte from the same training data):
//   sieve-model 1
//   version <16 hex digits: FNV-1a of every line after this one>
//   hash_bits <n>
//   param\t<name>\t<value>     (zero or more)
//   head\t<name>\t<bias>\t<threshold>\t<number of weights>
//   <index> <weight>            (one line per non-zero weight, increasing index)
#pragma once
#include "classifier/big_alloc.hpp"

#include "classifier/features.hpp"

#include <boost/system/result.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sieve {

// Dense weights by feature index, in kernel-backed huge pages when large (big_alloc.hpp).
using weight_vector = std::vector<float, big_allocator<float>>;

struct linear_head {
    std::string name;          // "relevance", "application", "topic:<topic name>"
    double bias = 0;
    double threshold = 0.5;    // decision threshold on probability()
    weight_vector weights; // dense by index; parse_model trims trailing zeros (<= 2^hash_bits)
    // From parse_model with dense_below: the non-zero weights at indexes >= dense_below, in file
    // order (weights then holds only those below it); else empty.
    std::vector<std::pair<std::uint32_t, float>> sparse;

    double margin(const sparse_vector& x) const;
    double probability(const sparse_vector& x) const; // logistic(margin)
};

struct model {
    std::string version;
    unsigned hash_bits = 20;
    std::vector<std::pair<std::string, double>> params; // named scalars, e.g. "meta_text_weight"
    std::vector<linear_head> heads;

    const linear_head* head(std::string_view name) const; // nullptr when absent
    double param(std::string_view name, double fallback) const;
};

// Errors name the line: "model line 7: expected '<index> <weight>'". With dense_below, each
// head's weights at indexes >= dense_below go to linear_head::sparse instead of the dense vector
// (for the judge, whose text_scorer copies them: megabytes of dense vectors never paged in).
boost::system::result<model, std::string> parse_model(std::string_view text,
                                                      std::size_t dense_below = SIZE_MAX);

// Serialises m (m.version is ignored and recomputed) - the output parses back to an equal model.
std::string serialize_model(const model& m);

} // namespace sieve
