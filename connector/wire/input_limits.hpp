// The caps on files Sieve reads from outside (documented in docs/http-api.md, docs/zotero-reader.md
// and the CLI help). A file past its cap is refused with a one-line error, never read in full.
#pragma once
#include <cstdint>
#include <string>

namespace sieve {

inline constexpr std::uint64_t max_criteria_bytes = 256u << 10; // a criteria file; PUT /v1/criteria
inline constexpr std::uint64_t max_model_bytes = 64u << 20;     // a model file (--model)
inline constexpr std::uint64_t max_jsonl_line_bytes = 1u << 20; // one line (paper) of a JSONL file
inline constexpr std::uint64_t max_jsonl_file_bytes = 1ull << 30; // a JSONL file eval / train hold
inline constexpr std::uint64_t max_key_file_bytes = 4u << 10;     // <state-dir>/llm-key

// A cap as the messages and docs name it: "256 KiB", "1 MiB", "1 GiB", or bytes.
inline std::string size_text(std::uint64_t bytes) {
    if (bytes >= (1ull << 30) && bytes % (1ull << 30) == 0)
        return std::to_string(bytes >> 30) + " GiB";
    if (bytes >= (1u << 20) && bytes % (1u << 20) == 0)
        return std::to_string(bytes >> 20) + " MiB";
    if (bytes >= (1u << 10) && bytes % (1u << 10) == 0)
        return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + " bytes";
}

} // namespace sieve
