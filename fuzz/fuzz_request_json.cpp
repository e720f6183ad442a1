// libFuzzer target: the request-body checkers of the HTTP API on arbitrary JSON text —
// parse_classify_request, parse_undo_request (connector/wire/classify_request.hpp) and
// parse_job_request (connector/jobs/job_scope.hpp). Requirements: none throws; an accepted job
// request's item list is sorted without duplicates; every error names a message.
#include "connector/wire/classify_request.hpp"
#include "connector/jobs/job_scope.hpp"

#include <boost/json/parse.hpp>

#include <cstdio>
#include <cstdlib>
#include <tuple>

namespace {

#define FUZZ_REQUIRE(cond)                                                                         \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "fuzz_request_json: requirement failed: %s\n", #cond);            \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    boost::system::error_code ec;
    auto v = boost::json::parse(
        std::string_view(reinterpret_cast<const char*>(data), size), ec);
    if (ec)
        return 0;
    if (auto c = sieve::parse_classify_request(v); !c)
        FUZZ_REQUIRE(!c.error().message.empty());
    if (auto u = sieve::parse_undo_request(v); !u)
        FUZZ_REQUIRE(!u.error().message.empty());
    auto j = sieve::parse_job_request(v);
    if (!j) {
        FUZZ_REQUIRE(!j.error().message.empty());
        return 0;
    }
    for (std::size_t i = 1; i < j->items.size(); ++i)
        FUZZ_REQUIRE(std::tie(j->items[i - 1].library_id, j->items[i - 1].key) <
                     std::tie(j->items[i].library_id, j->items[i].key));
    return 0;
}
