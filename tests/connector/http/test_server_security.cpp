// `sieve serve` end to end, transport and security: token, Host, Origin, limits, timeouts,
// routes, the single-instance lock and shutdown. Runs the real binary ($SIEVE_BIN).
#define BOOST_TEST_MODULE server_security
#include "tests/support/json_schema_validator.hpp"
#include "tests/support/server_process.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <sys/stat.h>
#include <thread>

using namespace sieve::test;
namespace net = boost::asio;
using clock_type = std::chrono::steady_clock;

namespace {

// One server for the whole module: a short read timeout and a database path that does not exist.
struct server_fixture {
    server_fixture()
        : server(state.path, {"--db", (state.path / "absent" / "zotero.sqlite").string(),
                              "--read-timeout", "0.4"}) {}
    temp_dir state;
    server_process server;
};

void expect_error(const http_reply& r, unsigned status, const std::string& code) {
    static const auto schema = json_schema_validator::from_file(schema_path("error.schema.json"));
    BOOST_TEST(r.status == status);
    auto errors = schema.validate(r.json());
    BOOST_TEST(errors.empty(), (errors.empty() ? "" : errors.front()));
    BOOST_TEST(std::string(r.json().at("error").at("code").as_string()) == code);
}

// Sends raw bytes and reads until the server closes; returns what was read and how long it took.
std::string raw_exchange(unsigned short port, const std::string& bytes, double& seconds) {
    net::io_context ioc;
    net::ip::tcp::socket s(ioc);
    s.connect({net::ip::make_address("127.0.0.1"), port});
    net::write(s, net::buffer(bytes));
    auto start = clock_type::now();
    std::string got;
    boost::system::error_code ec;
    net::read(s, net::dynamic_buffer(got), ec); // until EOF or reset
    seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    return got;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(serve, server_fixture)

BOOST_AUTO_TEST_CASE(health_answers_and_matches_its_schema) {
    auto r = http_call(server.port, server.token, "GET", "/v1/health");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.headers["content-type"] == "application/json");
    auto schema = json_schema_validator::from_file(schema_path("health.response.schema.json"));
    auto errors = schema.validate(r.json());
    BOOST_TEST(errors.empty(), (errors.empty() ? "" : errors.front()));
    BOOST_TEST(r.json().at("item_count").is_null());
    BOOST_TEST(r.json().at("criteria_version").is_string());
    BOOST_TEST(server.output.find("library: none at") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(token_file_is_private_random_hex) {
    struct stat st {};
    BOOST_REQUIRE(::stat((state.path / "token").c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0600u);
    BOOST_TEST(server.token.size() == 64u);
    BOOST_TEST(server.token.find_first_not_of("0123456789abcdef") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(missing_or_wrong_token_is_401) {
    auto none =
        http_call(server.port, server.token, "GET", "/v1/health", {}, {{"Authorization", ""}});
    expect_error(none, 401, "unauthorized");
    BOOST_TEST(none.headers["www-authenticate"] == "Bearer");
    std::string wrong = server.token;
    wrong.back() = wrong.back() == '0' ? '1' : '0';
    expect_error(http_call(server.port, wrong, "GET", "/v1/health"), 401, "unauthorized");
    expect_error(http_call(server.port, server.token, "GET", "/v1/health", {},
                           {{"Authorization", "Basic " + server.token}}),
                 401, "unauthorized");
    expect_error(http_call(server.port, server.token + "0", "GET", "/v1/health"), 401,
                 "unauthorized");
}

BOOST_AUTO_TEST_CASE(foreign_host_or_web_origin_is_403) {
    std::string p = std::to_string(server.port);
    expect_error(http_call(server.port, server.token, "GET", "/v1/health", {},
                           {{"Host", "attacker.example:" + p}}),
                 403, "forbidden_host");
    expect_error(http_call(server.port, server.token, "GET", "/v1/health", {},
                           {{"Host", "localhost:" + std::to_string(server.port + 1)}}),
                 403, "forbidden_host");
    expect_error(http_call(server.port, server.token, "GET", "/v1/health", {}, {{"Host", ""}}), 403,
                 "forbidden_host");
    for (const std::string& host : {"localhost:" + p, "LOCALHOST:" + p, "[::1]:" + p})
        BOOST_TEST(http_call(server.port, server.token, "GET", "/v1/health", {}, {{"Host", host}})
                       .status == 200u);
    expect_error(http_call(server.port, server.token, "GET", "/v1/health", {},
                           {{"Origin", "https://example.org"}}),
                 403, "forbidden_origin");
    expect_error(
        http_call(server.port, server.token, "GET", "/v1/health", {}, {{"Origin", "null"}}), 403,
        "forbidden_origin");
    expect_error(http_call(server.port, server.token, "GET", "/v1/health", {},
                           {{"Origin", "http://chrome://x"}}),
                 403, "forbidden_origin");
    for (const char* privileged : {"chrome://zotero", "moz-extension://abc-123", "resource://gre"})
        BOOST_TEST(http_call(server.port, server.token, "GET", "/v1/health", {},
                             {{"Origin", privileged}})
                       .status == 200u);
}

BOOST_AUTO_TEST_CASE(body_over_one_mebibyte_is_413) {
    std::string big((1u << 20) + 1, ' ');
    expect_error(http_call(server.port, server.token, "POST", "/v1/classify", big), 413,
                 "body_too_large");
    // Announced but never sent: refused from the header alone.
    double seconds = 0;
    std::string got = raw_exchange(
        server.port,
        "POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port) +
            "\r\nAuthorization: Bearer " + server.token + "\r\nContent-Length: 5000000\r\n\r\n",
        seconds);
    BOOST_TEST(got.rfind("HTTP/1.1 413", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(slow_client_is_disconnected_after_the_read_timeout) {
    double seconds = 0;
    std::string got =
        raw_exchange(server.port, "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1", seconds);
    BOOST_TEST(got.empty());
    BOOST_TEST(seconds >= 0.3);
    BOOST_TEST(seconds < 3.0);
    // A body that stops arriving is cut off too.
    got = raw_exchange(server.port,
                       "POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1:" +
                           std::to_string(server.port) + "\r\nAuthorization: Bearer " +
                           server.token + "\r\nContent-Length: 100\r\n\r\n{\"items\"",
                       seconds);
    BOOST_TEST(got.empty());
    BOOST_TEST(seconds < 3.0);
}

BOOST_AUTO_TEST_CASE(unknown_route_404_wrong_method_405_with_allow) {
    expect_error(http_call(server.port, server.token, "GET", "/v1/nothing"), 404, "not_found");
    expect_error(http_call(server.port, server.token, "GET", "/"), 404, "not_found");
    auto r = http_call(server.port, server.token, "POST", "/v1/health", "{}");
    expect_error(r, 405, "method_not_allowed");
    BOOST_TEST(r.headers["allow"] == "GET, HEAD");
    r = http_call(server.port, server.token, "GET", "/v1/classify");
    expect_error(r, 405, "method_not_allowed");
    BOOST_TEST(r.headers["allow"] == "POST");
}

BOOST_AUTO_TEST_CASE(malformed_http_is_400) {
    double seconds = 0;
    std::string got = raw_exchange(server.port, "GARBAGE\x01 / HTTP/9\r\n\r\n", seconds);
    BOOST_TEST(got.rfind("HTTP/1.1 400", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(second_instance_on_the_same_state_dir_is_refused) {
    std::string out;
    int rc = run_command(env_or_fail("SIEVE_BIN") + " serve --port 0 --state-dir '" +
                             state.path.string() + "' --db /nonexistent/zotero.sqlite",
                         out);
    BOOST_TEST(rc != 0);
    BOOST_TEST(out.find("already running") != std::string::npos, out);
    // The first instance still serves with its token.
    BOOST_TEST(http_call(server.port, server.token, "GET", "/v1/health").status == 200u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(sigterm_with_an_idle_connection_exits_zero) {
    temp_dir state;
    server_process server(state.path, {"--db", (state.path / "none.sqlite").string()});
    net::io_context ioc;
    net::ip::tcp::socket idle(ioc);
    idle.connect({net::ip::make_address("127.0.0.1"), server.port}); // keep-alive, no request
    auto start = clock_type::now();
    int rc = server.stop(SIGTERM);
    BOOST_TEST(rc == 0, server.output);
    BOOST_TEST(std::chrono::duration<double>(clock_type::now() - start).count() < 2.0);
    BOOST_TEST(!std::filesystem::exists(state.path / "token"));
    // The port is free again: nothing answers there.
    boost::system::error_code ec;
    net::ip::tcp::socket again(ioc);
    again.connect({net::ip::make_address("127.0.0.1"), server.port}, ec);
    BOOST_TEST(ec.failed());
}

BOOST_AUTO_TEST_CASE(sigterm_lets_a_request_in_flight_finish) {
    temp_dir state;
    server_process server(state.path, {"--db", (state.path / "none.sqlite").string()});
    std::string body = R"({"items": [{"title": "Pruning transformers", "abstract": "We prune."}]})";
    std::string head =
        "POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port) +
        "\r\nAuthorization: Bearer " + server.token +
        "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    net::io_context ioc;
    net::ip::tcp::socket s(ioc);
    s.connect({net::ip::make_address("127.0.0.1"), server.port});
    net::write(s, net::buffer(head + body.substr(0, 10)));
    std::this_thread::sleep_for(std::chrono::milliseconds(200)); // the server is reading the body
    std::thread stopper([&] { server.stop(SIGTERM); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    net::write(s, net::buffer(body.substr(10)));
    std::string got;
    boost::system::error_code ec;
    net::read(s, net::dynamic_buffer(got), ec);
    stopper.join();
    BOOST_TEST(got.rfind("HTTP/1.1 200", 0) == 0u, got);
    BOOST_TEST(got.find("Connection: close") != std::string::npos);
    BOOST_TEST(server.output.find("stopping") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(at_the_cap_the_oldest_unauthenticated_connection_gives_way) {
    temp_dir state;
    server_process server(
        state.path, {"--db", (state.path / "none.sqlite").string(), "--max-connections", "2"});
    net::io_context ioc;
    std::vector<net::ip::tcp::socket> held;
    for (int i = 0; i < 2; ++i) {
        held.emplace_back(ioc);
        held.back().connect({net::ip::make_address("127.0.0.1"), server.port});
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    double seconds = 0; // a third connection is served (here: refused for its missing Host)
    std::string got = raw_exchange(server.port, "GET /v1/health HTTP/1.1\r\n\r\n", seconds);
    BOOST_TEST(got.rfind("HTTP/1.1 403", 0) == 0u, got);
    BOOST_TEST(seconds < 1.0);
    std::string first; // the oldest held connection was closed to make room
    boost::system::error_code ec;
    net::read(held.front(), net::dynamic_buffer(first), ec);
    BOOST_TEST(first.empty());
    BOOST_TEST((ec == net::error::eof || ec == net::error::connection_reset), ec.message());
    held.clear();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    BOOST_TEST(http_call(server.port, server.token, "GET", "/v1/health").status == 200u);
}

BOOST_AUTO_TEST_CASE(sigint_exits_zero) {
    temp_dir state;
    server_process server(state.path, {"--db", (state.path / "none.sqlite").string()});
    BOOST_TEST(server.stop(SIGINT) == 0, server.output);
}
