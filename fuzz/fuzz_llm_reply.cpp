// libFuzzer target: parse_chat_response and parse_llm_reply on arbitrary bytes (an LLM server's
// answer is outside input), then build_note on what they accept. Every judgment must stay inside
// the vocabulary (verdict, criteria topics), keep its score in the verdict's range, quote only the
// paper's own text at the offsets it names, tie evidence to an existing criteria line and give a
// well-formed note.
#include "classifier/criteria.hpp"
#include "classifier/note.hpp"
#include "connector/llm/llm_client.hpp"
#include "connector/llm/llm_reply.hpp"

#include <tinyxml2.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

#define FUZZ_REQUIRE(cond)                                                                         \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "fuzz_llm_reply: requirement failed: %s\n", #cond);               \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)

const sieve::criteria& seed() {
    static const sieve::criteria c = sieve::parse_criteria(sieve::default_criteria_text()).value();
    return c;
}

void check(const sieve::judgment& j, const sieve::paper& p) {
    const auto& c = seed();
    for (const auto& t : j.topics)
        FUZZ_REQUIRE(std::any_of(c.topics.begin(), c.topics.end(),
                                 [&](const sieve::topic& tp) { return tp.name == t; }));
    int lo = j.label == sieve::verdict::relevant      ? 7
             : j.label == sieve::verdict::application ? 3
                                                      : 1;
    int hi = j.label == sieve::verdict::relevant      ? 10
             : j.label == sieve::verdict::application ? 6
                                                      : 2;
    FUZZ_REQUIRE(j.score >= lo && j.score <= hi);
    FUZZ_REQUIRE(j.confidence >= 0 && j.confidence <= 1);
    FUZZ_REQUIRE(j.reason.size() <= 300 && j.reason.find('\n') == std::string::npos);
    FUZZ_REQUIRE(j.evidence.size() <= 6);
    for (const auto& e : j.evidence) {
        const std::string& text = e.field == "title" ? p.title : p.abstract;
        FUZZ_REQUIRE(e.field == "title" || e.field == "abstract");
        FUZZ_REQUIRE(e.begin <= e.end && e.end <= text.size());
        FUZZ_REQUIRE(text.compare(e.begin, e.end - e.begin, e.quote) == 0);
        FUZZ_REQUIRE(e.criterion < c.lines.size());
    }
    std::string note = sieve::build_note(j, c, p);
    tinyxml2::XMLDocument doc;
    FUZZ_REQUIRE(doc.Parse(note.c_str(), note.size()) == tinyxml2::XML_SUCCESS);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const sieve::paper a{"a",
                                "Sparse Mixture-of-Experts layers for transformers",
                                "We prune and quantize large models; routing is learned.",
                                "",
                                "",
                                {}};
    static const sieve::paper b{"b", "Medical image segmentation", "We segment CT scans.", "", "",
                                {}};
    static const std::vector<const sieve::paper*> batch{&a, &b};
    std::string_view input(reinterpret_cast<const char*>(data), size);
    // The bytes as the message content, and as the server's whole response body.
    std::vector<std::string> contents{std::string(input)};
    if (auto chat = sieve::parse_chat_response(input)) {
        FUZZ_REQUIRE(chat->completion_tokens >= 0);
        contents.push_back(chat->content);
    }
    for (const auto& content : contents) {
        auto out = sieve::parse_llm_reply(content, batch, seed());
        FUZZ_REQUIRE(out.size() == batch.size());
        for (std::size_t i = 0; i < out.size(); ++i)
            if (out[i])
                check(*out[i], *batch[i]);
    }
    return 0;
}
