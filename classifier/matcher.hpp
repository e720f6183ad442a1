// Finds the criteria's phrases in a tokenised field.
#pragma once
#include "classifier/criteria.hpp"
#include "classifier/text.hpp"

#include <string>
#include <boost/unordered/unordered_flat_map.hpp>
#include <vector>

namespace sieve {

struct phrase_match {
    std::size_t line = 0;        // index into criteria::lines
    std::size_t phrase = 0;      // index into that line's phrases
    std::size_t first_token = 0; // matched tokens: [first_token, last_token)
    std::size_t last_token = 0;
    std::size_t pattern = 0;     // internal: which alias form matched (see written_as_phrase)
};

// The first match of each distinct (line, phrase), in order: a phrase counts once however often
// (or under however many aliases) it occurs.
std::vector<phrase_match> distinct_matches(const std::vector<phrase_match>& ms);

// Compiled form of every alias of every phrase of a criteria object, as term sequences
// (same normalisation as tokenize). Immutable after construction; thread-safe to share.
class criteria_matcher {
public:
    explicit criteria_matcher(const criteria& c);

    // All occurrences in toks, left to right; overlapping occurrences of different phrases are
    // all reported, the same phrase is reported once per start position.
    std::vector<phrase_match> find(const std::vector<token>& toks) const;

    // Stemming conflates some words ("In contrast" ~ "contrastive", "transforms" ~
    // "Transformers"). True when every matched word, as written in field, is the alias word
    // itself, a longer form of it ("quantization" -> "quantizations"), or its plural/singular.
    bool written_as_phrase(const phrase_match& m, const std::vector<token>& toks,
                           std::string_view field) const;

private:
    struct pattern {
        std::vector<std::string> terms;
        std::vector<std::string> words; // the alias' words, lower-case, as written
        std::size_t line;
        std::size_t phrase;
    };
    std::vector<pattern> patterns_;
    struct string_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    boost::unordered_flat_map<std::string, std::vector<std::size_t>, string_hash, std::equal_to<>>
        by_first_term_;
};

} // namespace sieve
