// What Sieve concludes about one paper.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sieve {

enum class verdict { relevant, application, irrelevant };

std::string_view to_string(verdict v);                 // "relevant" | "application" | "irrelevant"
std::optional<verdict> verdict_from_string(std::string_view s);

// evidence::criterion when a span is tied to no criteria line (it shows the field, or what
// weighed against the verdict's alternatives).
inline constexpr std::size_t no_criterion = static_cast<std::size_t>(-1);

// A span of the paper's own text that drove the decision.
struct evidence {
    std::string field;           // "title" | "abstract" | "venue" | "keywords"
    std::uint32_t begin = 0;     // byte offsets into that field exactly as given to the classifier
    std::uint32_t end = 0;       // half-open: quote == field.substr(begin, end - begin)
    std::string quote;           // the quoted words
    std::size_t criterion = 0;   // index into criteria::lines of the line it matched or supports,
                                 // or no_criterion
    std::string supports;        // the model head the span weighed in ("meta:relevant",
                                 // "topic:<name>", "meta:application", "field:<name>",
                                 // "meta:ml"); empty: a criteria phrase match only (or an LLM's)
    double weight = 0;           // the span's n-grams' contribution to that head's margin
};

struct judgment {
    verdict label = verdict::irrelevant;
    std::vector<std::string> topics;  // topic names exactly as in the criteria file
    int score = 1;                    // 1..10 (9-10 squarely foundational ... 1-2 unrelated)
    double confidence = 0.0;          // 0..1
    double relevance = 0.0;           // the model's probability that the paper is relevant
    std::vector<sieve::evidence> evidence;
    std::string field;                // the research field the note names (a readable field,
                                      // evidence.hpp note_field); empty: none
    std::string field_read;           // the field the heads read, even where the note names none
                                      // (empty for relevant papers: not read); not serialised
    bool outside_ml = false;          // the model reads the paper as not machine learning at all
    bool thin_evidence = false;       // no abstract, very short text or non-English text
    std::string judge;                // who decided, e.g. "sieve-local 2026.11.1"
    std::string reason;               // the judge's own one-sentence reason (LLM); empty: the
                                      // note explains the verdict from the criteria
    std::string note_html;            // the child note (XHTML fragment)
};

} // namespace sieve
