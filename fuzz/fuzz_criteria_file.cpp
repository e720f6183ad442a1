// libFuzzer target: criteria files at the size cap, read the way `sieve classify --criteria`,
// `sieve eval` and `sieve train` read them (connector/cli/criteria_file.hpp: a regular file of at
// most max_criteria_bytes, parsed by parse_criteria). Each input is repeated to fill a file of
// exactly the cap (256 KiB), which must load as criteria or fail with one line naming the file,
// within the fuzzer's per-input time limit (-timeout=10 in CI: no parse that grows faster than
// the text); the same file one byte longer must be refused as too large, without being parsed;
// a file of the input alone must give the same answer as parsing the input in memory.
#include "classifier/criteria.hpp"
#include "connector/cli/criteria_file.hpp"
#include "connector/wire/input_limits.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

namespace {

#define FUZZ_REQUIRE(cond)                                                                         \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "fuzz_criteria_file: requirement failed: %s\n", #cond);           \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)

const std::filesystem::path& work_dir() {
    static const std::filesystem::path dir = [] {
        auto d = std::filesystem::temp_directory_path() /
                 ("sieve-fuzz-criteria-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(work_dir(), ec);
        });
        return d;
    }();
    return dir;
}

std::string write(const std::string& name, std::string_view text) {
    const auto p = work_dir() / name;
    std::ofstream(p, std::ios::binary | std::ios::trunc)
        .write(text.data(), static_cast<std::streamsize>(text.size()));
    return p.string();
}

bool one_line(const std::string& s) {
    return !s.empty() && s.find('\n') == std::string::npos;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    // The input alone: the file reader adds nothing to the parser but the empty-file error.
    const std::string small = write("small.md", input);
    const auto direct = sieve::parse_criteria(input);
    const auto loaded = sieve::load_criteria(small);
    if (input.empty()) {
        FUZZ_REQUIRE(!loaded && loaded.error() == small + " is empty");
    } else {
        FUZZ_REQUIRE(bool(direct) == bool(loaded));
        if (direct)
            FUZZ_REQUIRE(direct->version == loaded->version);
        else
            FUZZ_REQUIRE(one_line(loaded.error()) && loaded.error().starts_with(small + ": "));
    }
    if (input.empty())
        return 0;
    // Exactly at the cap: read and parsed.
    std::string full;
    full.reserve(sieve::max_criteria_bytes + 1);
    while (full.size() < sieve::max_criteria_bytes)
        full.append(input.substr(0, sieve::max_criteria_bytes - full.size()));
    const std::string at_cap = write("at-cap.md", full);
    const auto c = sieve::load_criteria(at_cap);
    if (!c)
        FUZZ_REQUIRE(one_line(c.error()) && c.error().starts_with(at_cap + ": "));
    else
        FUZZ_REQUIRE(!c->topics.empty());
    // One byte over: refused before parsing.
    full.push_back(input.front());
    const std::string over = write("over-cap.md", full);
    const auto r = sieve::load_criteria(over);
    FUZZ_REQUIRE(!r && r.error() == over + " is larger than the 256 KiB limit for a criteria file");
    return 0;
}
