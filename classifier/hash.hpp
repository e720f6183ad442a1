// 64-bit FNV-1a, the one hash behind Sieve's versions (criteria, model), note hashes, snapshot
// names and hashed features.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace sieve {

inline constexpr std::uint64_t fnv1a_basis = 14695981039346656037ULL;

// Continues a hash h over s (start with fnv1a_basis, or any seed).
constexpr std::uint64_t fnv1a64(std::string_view s, std::uint64_t h = fnv1a_basis) {
    for (unsigned char ch : s) {
        h ^= ch;
        h *= 1099511628211ULL;
    }
    return h;
}

// 16 lower-case hex digits.
inline std::string hex64(std::uint64_t h) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

} // namespace sieve
