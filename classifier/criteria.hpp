// The user's research interests, parsed from the Markdown format that GPT paper assistants use
// (numbered topics with Relevant / Irrelevant bullets, an optional Goal, a Keywords section with
// Relevant / Irrelevant / Application lists). Pure: takes text, returns data.
#pragma once
#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sieve {

enum class line_kind {
    topic_goal,          // "- Goal: ..." under a topic
    topic_relevant,      // "- Relevant: ..." under a topic, and each nested bullet below it
    topic_irrelevant,    // "- Irrelevant: ..." under a topic, and each nested bullet below it
    topic_filter,        // other labelled bullets under a topic (e.g. "Practical filters")
    keywords_relevant,   // Keywords: "- Relevant: ..."
    keywords_irrelevant, // Keywords: "- Irrelevant: ..."
    keywords_application // Keywords: "- Application: ..."
};

// One phrase a line names, with every surface form that should match it.
// "Mixture-of-Experts (MoE)" -> text "Mixture-of-Experts", aliases {"Mixture-of-Experts",
// "mixture of experts", "MoE"}; "Sparse/Sparsity" -> two phrases "Sparse" and "Sparsity".
struct phrase {
    std::string text;                 // display form as written in the file
    std::vector<std::string> aliases; // all surface forms, text included; matched case-insensitively
};

struct criterion_line {
    std::size_t line_no = 0;     // 1-based line number in the criteria file
    line_kind kind = line_kind::topic_relevant;
    int topic = -1;              // index into criteria::topics; -1 for keyword lists
    std::string text;            // the line as written, bullet marker and label removed, trimmed
    std::vector<phrase> phrases; // phrases extracted from text ("etc." and filler dropped)
};

struct topic {
    int number = 0;                  // as numbered in the file ("1. Model Architecture" -> 1)
    std::string name;                // exactly as written: "Model Architecture"
    std::vector<std::size_t> lines;  // indexes into criteria::lines that belong to this topic
};

struct criteria {
    std::vector<topic> topics;
    std::vector<criterion_line> lines;
    std::string version; // 16 hex digits: a stable hash of the file's bytes
};

// Error of parse_criteria: the 1-based line it concerns (0: the file as a whole) and why.
struct criteria_error {
    std::size_t line_no = 0;
    std::string message;
    std::string what() const; // "line 12: <message>" or "<message>"
};
// For result::value(): throws std::runtime_error(e.what()).
[[noreturn]] void throw_exception_from_error(const criteria_error& e,
                                             const boost::source_location& loc);

// Parses criteria text. Errors (with the line named): no topics found; a topic without a name;
// a topic with no Relevant bullet; a bullet outside any topic or Keywords section; duplicate topic
// names; text that is not UTF-8; a Keywords bullet with no Relevant / Irrelevant / Application
// label (its own or its parent's). Unknown labelled bullets under a topic become topic_filter
// lines. Accepted layout variants: "## 1. Topic" / "1) Topic" / "**1. Topic**" headings, "-", "*",
// "+" or "•" bullets (also "-Label:" without a space), nesting by indentation (tabs = 4 columns),
// labels written as their own line ("Relevant:"), wrapped bullets continued by an indented line,
// "Keywords" with or without bold / '#', CRLF or CR line ends, a leading byte order mark.
boost::system::result<criteria, criteria_error> parse_criteria(std::string_view text);

// The seed criteria compiled into the binary (shared/criteria/seed-criteria.md at build time).
std::string_view default_criteria_text();

} // namespace sieve
