#include "classifier/xml_text.hpp"

#include <algorithm>

namespace sieve {

namespace {

// Appends code point cp as UTF-8.
void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Decodes one code point at i (advancing i); returns 0xFFFD for an invalid sequence, consuming one
// byte.
unsigned decode(std::string_view s, std::size_t& i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n == 0 || s.size() - i < n || n > 4 || c > 0xF4) {
        ++i;
        return 0xFFFD;
    }
    unsigned cp = n == 1 ? c : c & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k) {
        const auto d = static_cast<unsigned char>(s[i + k]);
        if ((d & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (d & 0x3F);
    }
    static constexpr unsigned min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_length[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++i;
        return 0xFFFD;
    }
    i += n;
    return cp;
}

} // namespace

std::string xml_safe(std::string_view s, std::size_t limit) {
    std::string out;
    out.reserve(std::min(s.size(), limit) + 4);
    for (std::size_t i = 0; i < s.size();) {
        // A run of printable ASCII (kept as it is) is copied at once, up to the limit.
        std::size_t e = i;
        while (e < s.size() && static_cast<unsigned char>(s[e]) >= 0x20 &&
               static_cast<unsigned char>(s[e]) < 0x80)
            ++e;
        if (e > i) {
            const std::size_t room = limit > out.size() ? limit - out.size() : 0;
            out.append(s.substr(i, std::min(e - i, room)));
            if (e - i > room) {
                out += "\u2026";
                break;
            }
            i = e;
            continue;
        }
        unsigned cp = decode(s, i);
        if (cp == '\t' || cp == '\n' || cp == '\r')
            cp = ' ';
        if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF)
            continue;
        if (out.size() >= limit) {
            out += "\u2026";
            break;
        }
        append_utf8(out, cp);
    }
    return out;
}

} // namespace sieve
