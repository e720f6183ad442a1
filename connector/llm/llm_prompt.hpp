// The chat-completions request for one batch of papers (OpenAI wire format, which Ollama,
// LM Studio, llama.cpp's server and vLLM all speak): a fixed instruction (system message) and
// the active criteria file with its line numbers plus the papers as a JSON array (user message).
// Papers are named "p1".."pN" inside a batch (connector/llm/llm_reply.hpp maps answers back). Pure.
#pragma once
#include "classifier/criteria.hpp"
#include "classifier/paper.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace sieve {

// The user message ends with this line followed by the papers as a JSON array of
// {"id", "title", "abstract", "venue"?} (abstracts cut at 4,000 bytes).
inline constexpr std::string_view llm_papers_marker = "Papers (JSON):\n";

// The instruction every request starts with (system message).
std::string_view llm_instruction();

// The JSON body of POST <base>/chat/completions: model, temperature 0, the two messages.
std::string build_llm_request(std::string_view model, std::string_view criteria_text,
                              const criteria& c, const std::vector<const paper*>& batch);

// A rough token count of a request body (bytes / 4), for the budget check before sending.
std::int64_t estimate_tokens(std::string_view body);

} // namespace sieve
