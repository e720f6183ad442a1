// libFuzzer target: the HTTP API handler (sieve::api, connector/http/api.hpp) called in-process, the
// way a server session calls it, on arbitrary request bodies. No sockets, no library (inline
// metadata only), a fresh temporary state directory (state store + criteria.md).
//
// Input: byte 0 picks the route and method, byte 1 the header variant (bit 0: wrong Host,
// bit 1: an Origin header, bit 2: a wrong bearer token), the rest is the body. Seeds in
// fuzz/corpus/http_request/ start with two ASCII digits ('0'..'7') for readability.
//
// PUT /v1/criteria bodies whose "text" parses as criteria are skipped (and kept out of the corpus):
// accepting them rebuilds the classifier from the embedded model, over a second per input under
// the sanitizers, which would leave the 20 s CI run a few dozen inputs. The criteria parser has
// its own fuzzer (fuzz_criteria.cpp); the accepting path is tested in test_server_admin.cpp.
//
// Requirements: check_header and handle never throw; every response is application/json with a
// JSON body; every non-2xx response has {"error":{"code":<non-empty string>,"message":<string>}};
// a header refused by check_header is 401 or 403.
#include "classifier/criteria.hpp"
#include "classifier/embedded.hpp"
#include "connector/http/api.hpp"
#include "connector/state/state_store.hpp"

#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <unistd.h>

namespace {

#define FUZZ_REQUIRE(cond)                                                                         \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "fuzz_http_request: requirement failed: %s\n", #cond);            \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)

namespace fs = std::filesystem;
namespace http = boost::beast::http;
namespace json = boost::json;

constexpr unsigned short port = 23120;
constexpr std::string_view token =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

struct route {
    http::verb method;
    std::string_view target;
};

constexpr route routes[] = {
    {http::verb::get, "/v1/health"},       {http::verb::post, "/v1/classify"},
    {http::verb::post, "/v1/feedback"},    {http::verb::get, "/v1/criteria"},
    {http::verb::put, "/v1/criteria"},     {http::verb::get, "/v1/classify"},
    {http::verb::post, "/v1/nowhere?x=1"}, {http::verb::delete_, "/v1/criteria"},
};

// The state directory and the handler, made once per process; the directory is removed at exit.
struct fixture {
    fs::path dir;
    std::unique_ptr<sieve::state_store> store;
    std::unique_ptr<sieve::api> handler;
};

fs::path make_temp_dir() {
    std::string templ = (fs::temp_directory_path() / "sieve-fuzz-http-XXXXXX").string();
    FUZZ_REQUIRE(::mkdtemp(templ.data()) != nullptr);
    return templ;
}

fixture* make_fixture() {
    auto* f = new fixture;
    f->dir = make_temp_dir();
    auto store = sieve::state_store::open(f->dir / "state.sqlite");
    FUZZ_REQUIRE(store.has_value());
    f->store = std::move(*store);
    auto clf = std::make_shared<const sieve::classifier>(sieve::classifier::create_default());
    sieve::api_options o{
        std::string(token), port, "sieve/", f->dir, std::string(sieve::default_criteria_text()),
        "embedded"};
    f->handler =
        std::make_unique<sieve::api>(std::move(o), nullptr, f->store.get(), std::move(clf), "");
    return f;
}

fixture& the_fixture() {
    static fixture* f = [] {
        fixture* made = make_fixture();
        std::atexit([] {
            std::error_code ec;
            fs::remove_all(the_fixture().dir, ec);
        });
        return made;
    }();
    return *f;
}

sieve::http_request make_request(std::uint8_t route_byte, std::uint8_t flags,
                                 std::string_view body) {
    const route& rt = routes[route_byte % std::size(routes)];
    sieve::http_request r{rt.method, rt.target, 11};
    r.set(http::field::host, (flags & 1) ? "evil.example:23120" : "127.0.0.1:23120");
    if (flags & 2)
        r.set(http::field::origin, "https://evil.example");
    r.set(http::field::authorization,
          std::string("Bearer ") +
              ((flags & 4) ? std::string(token.size(), 'x') : std::string(token)));
    r.set(http::field::content_type, "application/json");
    r.body() = std::string(body);
    r.prepare_payload();
    return r;
}

void check_response(const sieve::http_response& res) {
    FUZZ_REQUIRE(res[http::field::content_type] == "application/json");
    boost::system::error_code ec;
    json::value v = json::parse(res.body(), ec);
    FUZZ_REQUIRE(!ec);
    FUZZ_REQUIRE(v.is_object());
    const unsigned code = res.result_int();
    if (code >= 200 && code < 300)
        return;
    const auto* err = v.as_object().if_contains("error");
    FUZZ_REQUIRE(err && err->is_object());
    const auto* c = err->as_object().if_contains("code");
    const auto* m = err->as_object().if_contains("message");
    FUZZ_REQUIRE(c && c->is_string() && !c->as_string().empty());
    FUZZ_REQUIRE(m && m->is_string());
}

// Whether `r` is a PUT /v1/criteria whose text the handler would accept (see the top).
bool accepts_new_criteria(const sieve::http_request& r) {
    if (r.method() != http::verb::put)
        return false;
    boost::system::error_code ec;
    json::value v = json::parse(r.body(), ec);
    if (ec || !v.is_object())
        return false;
    const auto* text = v.as_object().if_contains("text");
    return text && text->is_string() && sieve::parse_criteria(text->as_string()).has_value();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2)
        return 0;
    fixture& f = the_fixture();
    const std::string_view body(reinterpret_cast<const char*>(data) + 2, size - 2);
    const auto r = make_request(data[0], data[1], body);
    if (accepts_new_criteria(r))
        return -1; // not worth its cost (see the top); -1 keeps it out of the corpus
    try {
        if (auto refused = f.handler->check_header(r.base())) {
            FUZZ_REQUIRE(refused->result_int() == 401 || refused->result_int() == 403);
            check_response(*refused);
            return 0;
        }
        check_response(f.handler->handle(r));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fuzz_http_request: exception escaped: %s\n", e.what());
        std::abort();
    }
    return 0;
}
