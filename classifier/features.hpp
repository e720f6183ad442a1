// Turns a paper into the sparse feature vector the model reads: hashed stemmed n-grams per field
// plus criteria-evidence features whose form does not depend on which criteria are active (so
// that editing the criteria file changes judgments without retraining).
#pragma once
#include "classifier/criteria.hpp"
#include "classifier/matcher.hpp"
#include "classifier/paper.hpp"
#include "classifier/text.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace sieve {

// Sorted by index, indices unique, 0 <= index < 2^hash_bits.
struct sparse_vector {
    std::vector<std::uint32_t> index;
    std::vector<float> value;
};

// A paper's fields tokenised and matched against the criteria.
struct analysed_paper {
    std::vector<token> title, abstract, extra; // extra: venue and keywords
    std::vector<phrase_match> title_matches, abstract_matches;
    token_stats stats;                         // over title + abstract
};

analysed_paper analyse(const paper& p, const criteria_matcher& m);

// Feature groups: t/a/x = title/abstract/extra unigrams, t2/a2 = bigrams (the title's also
// count under a/a2, so that a word weighs the same in either field and more in the title) (log(1+tf), the text
// part L2-normalised), c:<kind>:<field> = criteria-evidence counts (log(1+distinct phrases)),
// c:topics = how many topics have a Relevant match, c:noabs = no abstract.
sparse_vector make_features(const analysed_paper& a, const criteria& c, unsigned hash_bits);

// For notes (contributions.cpp): one occurrence of a title or abstract n-gram feature - feature
// `index` from tokens [first, last) of that field (one word, or a bigram's two words and any
// stopwords between them).
struct gram_origin {
    std::uint32_t index = 0;
    std::uint32_t first = 0, last = 0;
    bool abstract = false; // false: the title
    std::uint32_t at = 0;  // its position in the feature vector: x.index[at] == index
};

// make_features, and in `origins` (when not null) every title and abstract n-gram occurrence,
// in field and token order (venue and keywords are left out: notes quote title and abstract).
sparse_vector make_features(const analysed_paper& a, const criteria& c, unsigned hash_bits,
                            std::vector<gram_origin>* origins);

// The feature index of a named feature (exposed for tests and model inspection).
std::uint32_t feature_index(std::string_view group, std::string_view term, unsigned hash_bits);

} // namespace sieve
