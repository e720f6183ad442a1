// Snowball English stemming with a per-thread cache (libstemmer handles are not thread-safe).
#pragma once
#include <span>
#include <string>
#include <string_view>

namespace sieve {

// Stems a lower-case UTF-8 word. Thread-safe (one stemmer and cache per thread). The view stays
// valid until the calling thread's next call (copy it to keep it).
std::string_view stem(std::string_view word);

// Stems each (lower-case UTF-8) word in place, as stem() would, with the cache's sets fetched a
// few words ahead: each set is one of 32,768 spread over 4 MiB, so a lookup not fetched ahead
// waits on memory.
void stem_all(std::span<std::string* const> words);

// True for common English function words ("the", "of", "and", ...). Input is lower-case.
bool is_stopword(std::string_view word);

} // namespace sieve
