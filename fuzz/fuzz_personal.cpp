// libFuzzer target: parse_personal (the stored personal layer, read back from the state store) on
// arbitrary bytes. It must refuse or parse; a parsed layer must have increasing indexes and
// finite weights, and serialise to text that parses back to the same text and name.
#include "classifier/personal.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

#define FUZZ_REQUIRE(cond)                                                                         \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "fuzz_personal: requirement failed: %s\n", #cond);                \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)

void check_head(const sieve::personal_head& h) {
    for (std::size_t k = 0; k < h.w.size(); ++k) {
        FUZZ_REQUIRE(std::isfinite(h.w[k].second));
        FUZZ_REQUIRE(k == 0 || h.w[k - 1].first < h.w[k].first);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto l = sieve::parse_personal(text);
    if (!l) {
        FUZZ_REQUIRE(l.error().starts_with("personal layer: "));
        return 0;
    }
    check_head(l->relevant);
    check_head(l->application);
    const std::string again = sieve::serialize_personal(*l);
    auto back = sieve::parse_personal(again);
    FUZZ_REQUIRE(back.has_value());
    FUZZ_REQUIRE(sieve::serialize_personal(*back) == again);
    FUZZ_REQUIRE(back->name() == l->name());
    return 0;
}
