// Forgiving removal of HTML / JATS / XML markup from a metadata field.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sieve {

// Text together with a map back into the string it was derived from.
// Invariant: source_offset.size() == text.size() + 1; source_offset[i] is the byte offset in the
// source of the byte text[i] came from (for a decoded entity or inserted space: the offset of the
// construct that produced it), and source_offset.back() == source.size(). Offsets never decrease.
struct mapped_text {
    std::string text;
    std::vector<std::uint32_t> source_offset;
};

// Removes tags (<jats:p>, <i>, <sub>, ...), decodes character entities (named HTML entities and
// &#...; / &#x...;), turns block boundaries (p, br, div, li, jats:p, jats:title, sec) into a single
// space, collapses runs of whitespace to one space and trims the ends. Never fails: malformed or
// unbalanced markup is treated as text where it cannot be read as markup; invalid UTF-8 bytes are
// replaced with U+FFFD. A source without '<' or '&' comes back with only whitespace normalised.
mapped_text strip_markup(std::string_view source);

} // namespace sieve
