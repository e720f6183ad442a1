// The Markdown line shapes of a criteria file (headings, numbered topics, bullets, labels), read
// one line at a time. Pure helpers for parse_criteria; none of them fails.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sieve {

enum class line_type { blank, heading, numbered, bullet, prose };

struct markdown_line {
    line_type type = line_type::blank;
    std::size_t indent = 0; // columns of leading space; a tab advances to the next multiple of 4
    bool heading = false;   // started with '#' (a numbered heading "## 1. Name" is `numbered`)
    int number = 0;         // numbered lines: "12. Name", "3) Name", "**1. Name**" -> 12, 3, 1
    std::string_view body;  // after the indent and marker, trimmed (numbered: emphasis and a
                            // trailing colon trimmed too); a view into the line
};

// Classifies one line (without its line break). Bullets: "- ", "* ", "+ ", "• ", and "-Word"
// (a missing space after the dash). "**Keywords:**" and "---" are prose.
markdown_line read_markdown_line(std::string_view line);

// "Keywords", "**Keywords:**", "## Keywords:" (any case; "Key words" too).
bool is_keywords_heading(std::string_view body);

struct bullet_label {
    std::string name;      // lower case; emphasis and parenthesised remarks removed
    std::string_view rest; // the text after the colon, trimmed of space and emphasis
};

// The label of a bullet body: "Relevant: ...", "**Irrelevant (Filter out):** ...",
// "Practical filters / judging criteria:". Nothing when the text before the first colon is not a
// short run (<= 6 words) of letters, spaces, '/', '-', '&' and parenthesised remarks.
std::optional<bullet_label> read_label(std::string_view body);

// Splits on "\n", "\r\n" or "\r"; a final line break adds no empty line.
std::vector<std::string_view> split_lines(std::string_view text);

// Strict UTF-8: no overlong forms, surrogates or code points above U+10FFFF.
bool valid_utf8(std::string_view s);

} // namespace sieve
