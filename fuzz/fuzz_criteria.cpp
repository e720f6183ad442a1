// libFuzzer target: parse_criteria and build_note on arbitrary bytes. Parsing must succeed or name
// a line inside the file; a parsed result must keep every invariant of criteria.hpp; the note
// built from it (quoting raw slices of the input) must be well-formed XML without characters that
// XML forbids.
#include "classifier/criteria.hpp"
#include "classifier/note.hpp"

#include <tinyxml2.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

#define FUZZ_REQUIRE(cond)                                                                         \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "fuzz_criteria: requirement failed: %s\n", #cond);                \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)

std::size_t count_lines(std::string_view t) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] != '\n' && t[i] != '\r')
            continue;
        ++n;
        if (t[i] == '\r' && i + 1 < t.size() && t[i + 1] == '\n')
            ++i;
    }
    const bool open_last = !t.empty() && t.back() != '\n' && t.back() != '\r';
    return n + (open_last ? 1 : 0);
}

bool is_topic_kind(sieve::line_kind k) {
    return k == sieve::line_kind::topic_goal || k == sieve::line_kind::topic_relevant ||
           k == sieve::line_kind::topic_irrelevant || k == sieve::line_kind::topic_filter;
}

void check_criteria(const sieve::criteria& c, std::size_t lines) {
    FUZZ_REQUIRE(!c.topics.empty());
    FUZZ_REQUIRE(c.version.size() == 16);
    FUZZ_REQUIRE(c.version.find_first_not_of("0123456789abcdef") == std::string::npos);
    for (const auto& l : c.lines) {
        FUZZ_REQUIRE(l.line_no >= 1 && l.line_no <= lines);
        FUZZ_REQUIRE(!l.text.empty());
        FUZZ_REQUIRE(is_topic_kind(l.kind) == (l.topic >= 0));
        FUZZ_REQUIRE(l.topic < static_cast<int>(c.topics.size()));
        for (const auto& p : l.phrases) {
            FUZZ_REQUIRE(!p.text.empty());
            FUZZ_REQUIRE(!p.aliases.empty() && p.aliases.front() == p.text);
        }
    }
    for (std::size_t t = 0; t < c.topics.size(); ++t) {
        FUZZ_REQUIRE(!c.topics[t].name.empty());
        bool relevant = false;
        for (auto i : c.topics[t].lines) {
            FUZZ_REQUIRE(i < c.lines.size());
            FUZZ_REQUIRE(c.lines[i].topic == static_cast<int>(t));
            relevant |= c.lines[i].kind == sieve::line_kind::topic_relevant;
        }
        FUZZ_REQUIRE(relevant);
    }
}

// A judgment whose quotes are raw slices of the input (any bytes) on the parsed lines, plus one
// evidence item pointing past the end of the criteria.
sieve::judgment judgment_for(const sieve::criteria& c, std::string_view text) {
    sieve::judgment j;
    j.label = static_cast<sieve::verdict>(text.size() % 3);
    for (const auto& t : c.topics)
        j.topics.push_back(t.name);
    j.thin_evidence = text.size() % 2 == 0;
    j.judge = std::string(text.substr(0, 16));
    for (std::size_t i = 0; i <= c.lines.size() && i < 6; ++i) {
        sieve::evidence e;
        e.field = i % 2 ? "title" : "abstract";
        e.begin = static_cast<std::uint32_t>((i * 7) % (text.size() + 1));
        e.end = static_cast<std::uint32_t>(std::min(text.size(), e.begin + std::size_t{40}));
        e.quote = std::string(text.substr(e.begin, e.end - e.begin));
        e.criterion = i < c.lines.size() ? i : c.lines.size() + 3;
        j.evidence.push_back(std::move(e));
    }
    return j;
}

void check_note(const std::string& note) {
    tinyxml2::XMLDocument doc;
    FUZZ_REQUIRE(doc.Parse(note.c_str(), note.size()) == tinyxml2::XML_SUCCESS);
    FUZZ_REQUIRE(doc.RootElement() && doc.RootElement()->NextSiblingElement() == nullptr);
    for (unsigned char ch : note)
        FUZZ_REQUIRE(ch >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r');
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto lines = count_lines(text);
    const auto r = sieve::parse_criteria(text);
    if (!r) {
        FUZZ_REQUIRE(r.error().line_no <= lines);
        FUZZ_REQUIRE(!r.error().message.empty());
        return 0;
    }
    check_criteria(*r, lines);
    FUZZ_REQUIRE(sieve::parse_criteria(text)->version == r->version);
    sieve::paper p;
    p.title = std::string(text.substr(0, 64));
    check_note(sieve::build_note(judgment_for(*r, text), *r, p));
    return 0;
}
