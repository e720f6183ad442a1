// Snowball English stemming with a per-thread cache (libstemmer handles are not thread-safe).
#pragma once
#include <string>
#include <string_view>

namespace sieve {

// Stems a lower-case UTF-8 word. Thread-safe (one stemmer and cache per thread). The view stays
// valid until the calling thread's next call (copy it to keep it).
std::string_view stem(std::string_view word);

// Starts fetching the cache set of `word` for this thread: its set is one of 32,768 spread over
// 4 MiB, so a lookup that was not fetched ahead waits on memory.
void prefetch_stem(std::string_view word);

// True for common English function words ("the", "of", "and", ...). Input is lower-case.
bool is_stopword(std::string_view word);

} // namespace sieve
