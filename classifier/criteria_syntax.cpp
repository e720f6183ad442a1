#include "classifier/criteria_syntax.hpp"

#include "classifier/ascii.hpp"

namespace sieve {

namespace {

constexpr std::size_t max_label_chars = 48;
constexpr std::size_t max_label_words = 6;

// Length of the UTF-8 sequence a lead byte starts (0: invalid lead) and the range allowed for the
// byte after it (rules out overlong forms, surrogates and code points above U+10FFFF).
std::size_t utf8_length(unsigned char c, unsigned char& lo, unsigned char& hi) {
    lo = 0x80;
    hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF) {
        if (c == 0xE0)
            lo = 0xA0;
        if (c == 0xED)
            hi = 0x9F;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F;
        return 4;
    }
    return 0;
}

// Trims whitespace, Markdown emphasis and trailing colons: "**Model Architecture**:" -> name.
std::string_view trim_decoration(std::string_view s) {
    auto deco = [](char c) { return is_ascii_space(c) || c == '*' || c == '_' || c == ':'; };
    while (!s.empty() && deco(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && deco(s.back()))
        s.remove_suffix(1);
    return s;
}

// "12. Name", "3) Name", "**1. Name**": sets number and body; false when s is not numbered.
bool read_number(std::string_view s, markdown_line& out) {
    while (!s.empty() && (s.front() == '*' || s.front() == '_'))
        s.remove_prefix(1);
    std::size_t i = 0;
    int n = 0;
    while (i < s.size() && i < 6 && s[i] >= '0' && s[i] <= '9')
        n = n * 10 + (s[i++] - '0');
    if (i == 0 || i >= 6 || i >= s.size() || (s[i] != '.' && s[i] != ')'))
        return false;
    if (i + 1 < s.size() && !is_ascii_space(s[i + 1]) && s[i + 1] != '*' && s[i + 1] != '_')
        return false;
    out.type = line_type::numbered;
    out.number = n;
    out.body = trim_decoration(s.substr(i + 1));
    return true;
}

} // namespace

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        unsigned char lo = 0, hi = 0;
        const auto n = utf8_length(static_cast<unsigned char>(s[i]), lo, hi);
        if (n == 0 || s.size() - i < n)
            return false;
        for (std::size_t k = 1; k < n; ++k) {
            const auto d = static_cast<unsigned char>(s[i + k]);
            if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xBF))
                return false;
        }
        i += n;
    }
    return true;
}


std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\n' && text[i] != '\r')
            continue;
        lines.push_back(text.substr(start, i - start));
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
            ++i;
        start = i + 1;
    }
    if (start < text.size())
        lines.push_back(text.substr(start));
    return lines;
}

markdown_line read_markdown_line(std::string_view line) {
    markdown_line sh;
    std::size_t i = 0;
    for (; i < line.size() && (line[i] == ' ' || line[i] == '\t'); ++i)
        sh.indent = line[i] == '\t' ? (sh.indent / 4 + 1) * 4 : sh.indent + 1;
    auto rest = trim_ascii_space(line.substr(i));
    if (rest.empty())
        return sh;
    if (rest.front() == '#') {
        std::size_t h = rest.find_first_not_of('#');
        if (h == std::string_view::npos || is_ascii_space(rest[h])) {
            sh.heading = true;
            rest = trim_ascii_space(rest.substr(h == std::string_view::npos ? rest.size() : h));
            if (read_number(rest, sh))
                return sh;
            sh.type = line_type::heading;
            sh.body = rest;
            return sh;
        }
    }
    if (read_number(rest, sh))
        return sh;
    const bool marker = rest[0] == '-' || rest[0] == '*' || rest[0] == '+';
    if (marker && (rest.size() == 1 || is_ascii_space(rest[1]))) {
        sh.type = line_type::bullet;
        sh.body = trim_ascii_space(rest.substr(1));
    } else if (rest.substr(0, 3) == "\xE2\x80\xA2") { // U+2022 BULLET
        sh.type = line_type::bullet;
        sh.body = trim_ascii_space(rest.substr(3));
    } else if (rest[0] == '-' && rest.size() > 1 &&
               ((rest[1] >= 'A' && rest[1] <= 'Z') || (rest[1] >= 'a' && rest[1] <= 'z'))) {
        sh.type = line_type::bullet; // "-Irrelevant (Filter out):"
        sh.body = trim_ascii_space(rest.substr(1));
    } else {
        sh.type = line_type::prose;
        sh.body = rest;
    }
    return sh;
}

bool is_keywords_heading(std::string_view body) {
    auto name = lower_ascii(trim_decoration(body));
    return name == "keywords" || name == "keyword" || name == "key words";
}

// "Relevant: ...", "**Irrelevant (Filter out):** ...", "Practical filters / judging criteria:".
std::optional<bullet_label> read_label(std::string_view body) {
    const auto colon = body.find(':');
    if (colon == std::string_view::npos || colon > max_label_chars)
        return std::nullopt;
    std::string name;
    int paren = 0;
    for (char c : body.substr(0, colon)) {
        if (c == '(')
            ++paren;
        else if (c == ')')
            paren = paren > 0 ? paren - 1 : 0;
        else if (paren == 0 && c != '*' && c != '_')
            name += c;
    }
    name = lower_ascii(trim_ascii_space(name));
    std::size_t words = name.empty() ? 0 : 1;
    for (char c : name) {
        const bool ok =
            (c >= 'a' && c <= 'z') || c == ' ' || c == '/' || c == '-' || c == '&' || c == '\'';
        if (!ok)
            return std::nullopt;
        words += c == ' ' ? 1 : 0;
    }
    if (words == 0 || words > max_label_words)
        return std::nullopt;
    return bullet_label{name, trim_decoration(body.substr(colon + 1))};
}

} // namespace sieve
