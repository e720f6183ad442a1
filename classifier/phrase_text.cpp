#include "classifier/phrase_text.hpp"

#include "classifier/ascii.hpp"

#include <array>
#include <cstddef>

namespace sieve::phrase_text {


bool is_alnum(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}
std::vector<std::string> split_words(std::string_view s) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && is_ascii_space(s[i]))
            ++i;
        std::size_t j = i;
        while (j < s.size() && !is_ascii_space(s[j]))
            ++j;
        if (j > i)
            words.emplace_back(s.substr(i, j - i));
        i = j;
    }
    return words;
}

// Typographic characters become their plain equivalents or separators; markdown emphasis goes.
std::string normalise(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80) {
            const auto d = static_cast<unsigned char>(s[i + 2]);
            const bool tight =
                !out.empty() && !is_ascii_space(out.back()) && i + 3 < s.size() && !is_ascii_space(s[i + 3]);
            if (d == 0x90 || d == 0x91 || (d == 0x93 && tight))
                out += '-';
            else if (d == 0x93 || d == 0x94 || d == 0x95)
                out += " ; ";
            else if (d >= 0x98 && d <= 0x9F)
                out += ' '; // quotation marks
            else if (d == 0xA6)
                out += " ; "; // ellipsis
            else {
                out.append(s.substr(i, 3));
            }
            i += 2;
        } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
            out += ' ';
            ++i;
        } else if (c == '*' || c == '`' || c == '"') {
            out += ' ';
        } else if (c < 0x20) {
            out += ' ';
        } else {
            out += s[i];
        }
    }
    return out;
}

// "e.g.", "i.e.", "etc." (any case, as whole words) become separators.
std::string drop_abbreviations(std::string s) {
    static constexpr std::array<std::string_view, 4> abbrevs{"e.g.", "i.e.", "etc.", "etc"};
    std::string low = lower_ascii(s);
    for (auto ab : abbrevs) {
        for (std::size_t p = low.find(ab); p != std::string::npos; p = low.find(ab, p + 1)) {
            const bool start_ok = p == 0 || !is_alnum(static_cast<unsigned char>(low[p - 1]));
            const std::size_t e = p + ab.size();
            const bool end_ok = e >= low.size() || !is_alnum(static_cast<unsigned char>(low[e]));
            if (!start_ok || !end_ok)
                continue;
            for (std::size_t k = p; k < e; ++k)
                s[k] = low[k] = ',';
        }
    }
    return s;
}

} // namespace sieve::phrase_text
