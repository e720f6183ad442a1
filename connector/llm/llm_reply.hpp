// Reading an LLM's answer to one batch (connector/llm/llm_prompt.hpp) into judgments. The reply is
// outside input: anything may come back. The parser finds the first JSON object or array in the
// text (code fences and prose around it are skipped), accepts the usual shapes ({"papers": [...]},
// a bare array, one object, or an object keyed by paper id) and keeps only what it can check:
// - the paper id must name a paper of the batch ("p3", "P3", "3" or 3); the first answer wins;
// - the verdict must be relevant / application / irrelevant (else the paper counts as missing);
// - topics must name criteria topics (case-insensitively; written back as in the criteria);
//   others are dropped, so a reply can never add a tag outside the vocabulary;
// - the score is clamped into the verdict's range (relevant 7-10, application 3-6, irrelevant
//   1-2); a missing or non-numeric score takes the range's default;
// - evidence quotes must occur verbatim in the paper's title or abstract, else they are dropped;
//   each is tied to the criteria line the reply names, else to a line of the verdict's kind;
// - the reason is one line of at most 300 bytes.
// Pure (no I/O); never throws for any input.
#pragma once
#include "classifier/criteria.hpp"
#include "classifier/judgment.hpp"
#include "classifier/paper.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sieve {

struct llm_reply_stats {
    std::size_t dropped_topics = 0; // topic names outside the criteria
    std::size_t dropped_quotes = 0; // quotes not found in the paper's text
    std::size_t rejected_items = 0; // answers with no usable id or verdict
};

// One judgment per paper of `batch` (index i answers the paper the prompt called "p<i+1>"), or
// nullopt where the reply has no usable answer for it. The judgments carry verdict, topics,
// score, confidence (the reply's, when a number in [0, 1], else 0.8), reason and evidence; judge
// and note_html are left empty.
std::vector<std::optional<judgment>> parse_llm_reply(std::string_view content,
                                                     const std::vector<const paper*>& batch,
                                                     const criteria& c,
                                                     llm_reply_stats* stats = nullptr);

// The batch-local id of the i-th paper: "p1", "p2", ...
std::string llm_paper_id(std::size_t i);

} // namespace sieve
