// Text normalisation and tokenisation for judging: markup, LaTeX and any Unicode in, stemmed
// lower-case terms out, each tied to the byte span of the original field it came from.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sieve {

struct token {
    std::string term;         // case-folded, NFKC-normalised, Snowball-stemmed (English)
    std::uint32_t begin = 0;  // byte span in the original field: field.substr(begin, end - begin)
    std::uint32_t end = 0;    // is the word as written
    bool stop = false;        // an English stopword (kept for phrase matching, skipped by features)
};

struct token_stats {
    std::size_t words = 0;      // word tokens seen (stopwords included)
    std::size_t latin = 0;      // words written in Latin script
    std::size_t stopwords = 0;  // English stopwords among them
};

// Splits a metadata field into word tokens. Handles HTML/JATS markup (stripped via
// strip_markup, offsets mapped back), LaTeX (math between $...$ / \(...\) is skipped, command
// names like \emph are dropped while their arguments are kept), hyphens and slashes (split words),
// and arbitrary bytes (invalid UTF-8 is skipped, never an error). Numbers become the term "#".
// Never throws except std::bad_alloc.
std::vector<token> tokenize(std::string_view field, token_stats* stats = nullptr);

// The term a single word or phrase word becomes (same folding and stemming as tokenize).
std::string normalise_term(std::string_view word);

// True when stats suggest the text is not English (mostly non-Latin script or almost no
// English function words over a reasonable length).
bool looks_non_english(const token_stats& s);

} // namespace sieve
