// Text for XML text nodes (the child note's quotes and criterion lines). Pure.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace sieve {

// Text safe for an XML 1.0 text node: invalid UTF-8 becomes U+FFFD, characters XML forbids (control
// characters, U+FFFE, U+FFFF) are removed, line breaks and tabs become spaces, and the result is
// clipped to about `limit` bytes on a character boundary ("…" marks a cut).
std::string xml_safe(std::string_view s, std::size_t limit = std::string::npos);

} // namespace sieve
