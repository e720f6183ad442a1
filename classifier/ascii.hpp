// ASCII helpers shared by the parsers of criteria files, markup, phrases and LLM replies. Bytes
// of 0x80 and above are never letters or spaces here, so UTF-8 text passes through unchanged.
#pragma once
#include <string>
#include <string_view>

namespace sieve {

// ' ', '\t', '\r' or '\n'.
inline bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// s without leading and trailing is_ascii_space characters (a view into s).
inline std::string_view trim_ascii_space(std::string_view s) {
    while (!s.empty() && is_ascii_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_ascii_space(s.back()))
        s.remove_suffix(1);
    return s;
}

// s with 'A'..'Z' lowered; every other byte kept.
inline std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

} // namespace sieve
