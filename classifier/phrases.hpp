// Phrase extraction for criteria lines: turns the free text of one bullet
// ("Mixture-of-Experts (MoE), Transformers, Conditional/Dynamic Networks,
// etc.") into the phrases it names, each with the surface forms that should
// match it. Pure; never fails.
#pragma once
#include "classifier/criteria.hpp"

#include <string_view>
#include <vector>

namespace sieve {

// Splits text into phrases on commas, semicolons, colons, sentence ends,
// parentheses, dashes, spaced slashes and the words "and" / "or"; long pieces
// (more than three words) are further split at prepositions and linking words.
// "A/B C" expands to "A C" and "B C"; a parenthesised acronym after a phrase
// becomes its alias ("Mixture-of-Experts (MoE)"). Hyphenated phrases also get
// their spaced form (lower case); "e.g.", "i.e.", "etc." and leading filler
// ("new", "existing", ...) are dropped, trailing generic nouns ("methods",
// "approaches", ...) are trimmed, and pieces made only of stopwords or generic
// words are dropped. Phrases are unique per line (case-insensitively), in order
// of first appearance; input that is not UTF-8 is treated byte by byte.
std::vector<phrase> extract_phrases(std::string_view text);

} // namespace sieve
