// Character references for strip_markup (markup.hpp): HTML named entities and numeric references.
#pragma once
#include <cstddef>
#include <string_view>

namespace sieve::markup_detail {

// Reads a character reference at the start of `s` (which begins with '&'): "&name;", "&#123;" or
// "&#x1F;". On success returns the code point to emit (U+FFFD for NUL, surrogates and values above
// U+10FFFF) and sets `length` to the bytes consumed, ';' included. Returns -1 (length untouched)
// when `s` does not start with a reference this table knows; the caller then keeps '&' as text.
long decode_reference(std::string_view s, std::size_t& length);

} // namespace sieve::markup_detail
