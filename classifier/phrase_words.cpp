#include "classifier/phrase_words.hpp"

#include <algorithm>
#include <array>

namespace sieve {

namespace {

// Function words: trimmed from both ends of a phrase; never a phrase alone.
constexpr auto stop_words = std::to_array<std::string_view>(
    {"a",     "about", "all",  "also",  "an",     "and",   "any",    "are",        "as",
     "at",    "be",    "been", "being", "both",   "but",   "by",     "can",        "could",
     "did",   "do",    "does", "each",  "either", "for",   "from",   "has",        "have",
     "how",   "i",     "if",   "in",    "into",   "is",    "it",     "its",        "just",
     "may",   "might", "more", "most",  "much",   "no",    "nor",    "not",        "of",
     "on",    "one",   "only", "or",    "our",    "over",  "per",    "should",     "so",
     "some",  "such",  "than", "that",  "the",    "their", "them",   "themselves", "then",
     "there", "these", "they", "this",  "those",  "to",    "under",  "us",         "very",
     "via",   "vs",    "was",  "we",    "were",   "what",  "when",   "where",      "whether",
     "which", "while", "who",  "why",   "will",   "with",  "within", "without",    "would",
     "you",   "your"});

// Hedges, evaluative words and verbs of the criteria prose: trimmed from the ends of a phrase.
constexpr auto filler_words = std::to_array<std::string_view>(
    {"add",          "address",    "addresses",       "applies",    "apply",       "avoid",
     "broader",      "built",      "certain",         "combined",   "convincing",  "different",
     "efficient",    "enable",     "enables",         "existing",   "extract",     "extracting",
     "extracts",     "focus",      "focused",         "generalize", "generalizes", "include",
     "includes",     "including",  "incremental",     "keep",       "known",       "lacking",
     "like",         "measurable", "merely",          "mostly",     "new",         "novel",
     "other",        "others",     "particular",      "propose",    "proposes",    "provide",
     "provides",     "publicly",   "purely",          "report",     "reports",     "reveal",
     "reveals",      "show",       "shows",           "simply",     "single",      "specific",
     "specifically", "standard",   "straightforward", "strong",     "use",         "used",
     "uses",         "using",      "various"});

// Nouns of evaluation ("methods", "improvements"): trimmed from either end of a phrase when a
// content word remains; never a phrase alone.
constexpr auto tail_words = std::to_array<std::string_view>(
    {"advance",      "advancement",   "advancements",  "advances",      "analyses",    "analysis",
     "approach",     "approaches",    "aspect",        "aspects",       "benefit",     "benefits",
     "breakthrough", "breakthroughs", "contribution",  "contributions", "evidence",    "gain",
     "gains",        "improvement",   "improvements",  "innovation",    "innovations", "insight",
     "insights",     "lesson",        "lessons",       "method",        "methods",     "note",
     "notes",        "optimization",  "optimizations", "paper",         "papers",      "research",
     "result",       "results",       "strategies",    "strategy",      "studies",     "study",
     "technique",    "techniques",    "tool",          "tools",         "variant",     "variants",
     "work",         "works"});

// Words too general to be a phrase alone ("learning", "models", "theoretical"); kept inside one.
constexpr auto weak_words = std::to_array<std::string_view>(
    {"algorithm",     "algorithmic",   "algorithms", "application",    "applications",
     "architecture",  "architectures", "data",       "dataset",        "datasets",
     "deep",          "design",        "designs",    "domain",         "domains",
     "empirical",     "framework",     "frameworks", "fundamental",    "general",
     "generalizable", "information",   "learning",   "methodological", "model",
     "models",        "network",       "networks",   "neural",         "open",
     "pattern",       "patterns",      "practical",  "principle",      "principles",
     "provable",      "quantitative",  "setting",    "settings",       "structure",
     "system",        "systems",       "task",       "tasks",          "theoretical",
     "training"});

static_assert(std::is_sorted(stop_words.begin(), stop_words.end()));
static_assert(std::is_sorted(filler_words.begin(), filler_words.end()));
static_assert(std::is_sorted(tail_words.begin(), tail_words.end()));
static_assert(std::is_sorted(weak_words.begin(), weak_words.end()));

template <std::size_t n>
bool contains(const std::array<std::string_view, n>& sorted, std::string_view w) {
    return std::binary_search(sorted.begin(), sorted.end(), w);
}

} // namespace

bool is_stop_word(std::string_view w) {
    return contains(stop_words, w);
}
bool is_filler_word(std::string_view w) {
    return contains(filler_words, w);
}
bool is_tail_word(std::string_view w) {
    return contains(tail_words, w);
}
bool is_content_word(std::string_view w) {
    return !contains(stop_words, w) && !contains(filler_words, w) && !contains(tail_words, w) &&
           !contains(weak_words, w);
}

bool is_conjunction_word(std::string_view l) {
    return l == "and" || l == "or" || l == "nor" || l == "versus" || l == "vs" || l == "but";
}

bool is_linking_word(std::string_view w) {
    static constexpr auto words = std::to_array<std::string_view>(
        {"about",     "across", "against",    "among",       "applies",  "apply",   "at",
         "between",   "beyond", "by",         "enable",      "enabling", "encode",  "encodes",
         "for",       "from",   "generalize", "generalizes", "in",       "include", "includes",
         "including", "into",   "lacking",    "of",          "on",       "over",    "provide",
         "provides",  "report", "reports",    "reveal",      "reveals",  "than",    "that",
         "through",   "to",     "toward",     "towards",     "trade",    "under",   "using",
         "via",       "when",   "where",      "whether",     "which",    "while",   "who",
         "with",      "within", "without"});
    static_assert(std::is_sorted(words.begin(), words.end()));
    return contains(words, w);
}

} // namespace sieve
