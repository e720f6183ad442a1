// Text clean-up before criteria phrases are cut out of a line: typographic characters and
// markdown emphasis to plain separators, "e.g." / "i.e." / "etc." removal, and splitting at
// whitespace (classifier/ascii.hpp's is_ascii_space). Pure functions on UTF-8 text (non-ASCII bytes pass through).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace sieve::phrase_text {

bool is_alnum(unsigned char c);                     // ASCII letter or digit, or any non-ASCII byte
std::vector<std::string> split_words(std::string_view s); // at runs of is_ascii_space
// Dashes, quotation marks, ellipses, no-break spaces, control characters, '*', '`' and '"'
// become '-', ' ; ' or ' ' as they join or separate words; other text is kept.
std::string normalise(std::string_view s);
// "e.g.", "i.e.", "etc." (any case, as whole words) become commas.
std::string drop_abbreviations(std::string s);

} // namespace sieve::phrase_text
