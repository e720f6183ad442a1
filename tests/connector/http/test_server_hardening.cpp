// `sieve serve` end to end, faults found by an adversarial test (issue 17): HEAD answered with a
// body, duplicate Host / Origin headers, the bulk-job body cap, idle connections shutting the
// client out, SIGTERM waiting for a half-sent request, and the criteria cap of PUT /v1/criteria.
// Runs the real binary ($SIEVE_BIN).
#define BOOST_TEST_MODULE server_hardening
#include "tests/support/library_copy.hpp"
#include "tests/support/server_process.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <thread>

using namespace sieve::test;
namespace net = boost::asio;
namespace json = boost::json;
using tcp = net::ip::tcp;
using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

tcp::endpoint endpoint(unsigned short port) {
    return {net::ip::make_address("127.0.0.1"), port};
}

// Host and Authorization header lines for `server`.
std::string auth_lines(const server_process& server) {
    return "Host: 127.0.0.1:" + std::to_string(server.port) + "\r\nAuthorization: Bearer " +
           server.token + "\r\n";
}

// Sends raw bytes and reads until the server closes the connection.
std::string raw_exchange(unsigned short port, const std::string& bytes) {
    net::io_context ioc;
    tcp::socket s(ioc);
    s.connect(endpoint(port));
    net::write(s, net::buffer(bytes));
    std::string got;
    boost::system::error_code ec;
    net::read(s, net::dynamic_buffer(got), ec);
    return got;
}

// One request on an open keep-alive connection; returns the status line and consumes the
// response (which must carry a Content-Length).
std::string keep_alive_request(tcp::socket& s, const std::string& request) {
    net::write(s, net::buffer(request));
    std::string got;
    std::size_t end = net::read_until(s, net::dynamic_buffer(got), "\r\n\r\n");
    std::string header = got.substr(0, end);
    std::size_t at = header.find("Content-Length: ");
    std::size_t length = at == std::string::npos ? 0 : std::stoul(header.substr(at + 16));
    if (got.size() < end + length)
        net::read(s, net::dynamic_buffer(got), net::transfer_exactly(end + length - got.size()));
    return got.substr(0, got.find("\r\n"));
}

// True when the server closed `s` (a read ends with EOF or a reset rather than waiting).
bool closed_by_server(tcp::socket& s) {
    s.non_blocking(true);
    char c;
    boost::system::error_code ec;
    for (int i = 0; i < 100; ++i) {
        s.read_some(net::buffer(&c, 1), ec);
        if (ec != net::error::would_block)
            return ec == net::error::eof || ec == net::error::connection_reset;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

std::string error_code_of(const std::string& response) {
    auto body = response.find("\r\n\r\n");
    if (body == std::string::npos)
        return {};
    boost::system::error_code ec;
    auto v = json::parse(response.substr(body + 4), ec);
    if (ec || !v.is_object() || !v.as_object().contains("error"))
        return {};
    return std::string(v.at("error").at("code").as_string());
}

} // namespace

BOOST_AUTO_TEST_CASE(head_is_answered_without_a_body_and_a_pipelined_get_follows) {
    temp_dir state;
    server_process server(state.path, {"--db", (state.path / "none.sqlite").string()});
    const std::string auth = auth_lines(server);
    // HEAD /v1/health answers like GET but without the body; the next response starts right
    // after the header.
    std::string got = raw_exchange(server.port, "HEAD /v1/health HTTP/1.1\r\n" + auth + "\r\n" +
                                                    "GET /v1/health HTTP/1.1\r\n" + auth +
                                                    "Connection: close\r\n\r\n");
    BOOST_TEST(got.rfind("HTTP/1.1 200", 0) == 0u, got);
    std::size_t end = got.find("\r\n\r\n");
    BOOST_REQUIRE(end != std::string::npos);
    BOOST_TEST(got.substr(end + 4, 12) == "HTTP/1.1 200", got);
    BOOST_TEST(got.find("\"version\"") > end); // the body is the GET's only
    // A HEAD the route does not take: 405, still no body, and the connection goes on.
    got = raw_exchange(server.port, "HEAD /v1/classify HTTP/1.1\r\n" + auth + "\r\n" +
                                        "GET /v1/health HTTP/1.1\r\n" + auth +
                                        "Connection: close\r\n\r\n");
    BOOST_TEST(got.rfind("HTTP/1.1 405", 0) == 0u, got);
    end = got.find("\r\n\r\n");
    BOOST_REQUIRE(end != std::string::npos);
    BOOST_TEST(got.substr(end + 4, 12) == "HTTP/1.1 200", got);
    // A refused HEAD (no token) closes the connection after the header alone.
    got = raw_exchange(server.port, "HEAD /v1/health HTTP/1.1\r\nHost: 127.0.0.1:" +
                                        std::to_string(server.port) + "\r\n\r\n");
    BOOST_TEST(got.rfind("HTTP/1.1 401", 0) == 0u, got);
    BOOST_TEST(got.size() == got.find("\r\n\r\n") + 4, got);
}

BOOST_AUTO_TEST_CASE(two_host_or_two_origin_headers_are_400) {
    temp_dir state;
    server_process server(state.path, {"--db", (state.path / "none.sqlite").string()});
    const std::string host = "Host: 127.0.0.1:" + std::to_string(server.port) + "\r\n";
    const std::string token = "Authorization: Bearer " + server.token + "\r\n";
    for (const std::string& extra :
         {host + "Host: attacker.example\r\n", "Host: attacker.example\r\n" + host, host + host,
          host + "Origin: chrome://zotero\r\nOrigin: https://attacker.example\r\n",
          host + "Origin: https://attacker.example\r\nOrigin: chrome://zotero\r\n", host + token}) {
        std::string got = raw_exchange(server.port, "GET /v1/health HTTP/1.1\r\n" + extra + token +
                                                        "Connection: close\r\n\r\n");
        BOOST_TEST(got.rfind("HTTP/1.1 400", 0) == 0u, extra << " -> " << got);
        BOOST_TEST(error_code_of(got) == "bad_request", got);
    }
    // One of each is still served.
    std::string got = raw_exchange(server.port, "GET /v1/health HTTP/1.1\r\n" + host + token +
                                                    "Origin: chrome://zotero\r\n"
                                                    "Connection: close\r\n\r\n");
    BOOST_TEST(got.rfind("HTTP/1.1 200", 0) == 0u, got);
}

BOOST_AUTO_TEST_CASE(a_job_scope_of_50000_keys_fits_the_jobs_body_cap) {
    library_copy lib;
    server_process server(lib.dir.path / "state", {"--db", lib.db.string()});
    std::string body = R"({"scope": "items", "items": [)";
    for (int i = 0; i < 50000; ++i) {
        char key[16];
        std::snprintf(key, sizeof key, "Z%07d", i);
        body += std::string(i ? ", " : "") + R"({"libraryID": 1, "key": ")" + key + "\"}";
    }
    body += "]}";
    BOOST_REQUIRE(body.size() > (1u << 20)); // over the cap of the other routes
    auto r = http_call(server.port, server.token, "POST", "/v1/jobs", body);
    BOOST_TEST(r.status == 202u, r.body);
    // Each route keeps its own cap: 4 MiB for a job, 1 MiB for classify.
    std::string huge = R"({"scope": "items", "items": [)" + std::string(4u << 20, ' ') + "]}";
    r = http_call(server.port, server.token, "POST", "/v1/jobs", huge);
    BOOST_TEST(r.status == 413u);
    r = http_call(server.port, server.token, "POST", "/v1/classify",
                  R"({"items": [)" + std::string(1u << 20, ' ') + "]}");
    BOOST_TEST(r.status == 413u);
}

BOOST_AUTO_TEST_CASE(idle_unauthenticated_connections_cannot_shut_the_client_out) {
    temp_dir state;
    server_process server(
        state.path, {"--db", (state.path / "none.sqlite").string(), "--max-connections", "4"});
    const std::string health = "GET /v1/health HTTP/1.1\r\n" + auth_lines(server) + "\r\n";
    net::io_context ioc;
    tcp::socket trusted(ioc); // the extension's keep-alive connection
    trusted.connect(endpoint(server.port));
    BOOST_TEST(keep_alive_request(trusted, health) == "HTTP/1.1 200 OK");
    std::vector<tcp::socket> idle; // a local program holding connections open, sending nothing
    for (int i = 0; i < 8; ++i) {
        idle.emplace_back(ioc);
        idle.back().connect(endpoint(server.port));
        std::this_thread::sleep_for(20ms);
    }
    std::this_thread::sleep_for(100ms);
    http_reply fresh;
    BOOST_CHECK_NO_THROW(fresh = http_call(server.port, server.token, "GET", "/v1/health"));
    BOOST_TEST(fresh.status == 200u);
    BOOST_TEST(keep_alive_request(trusted, health) == "HTTP/1.1 200 OK");
    BOOST_TEST(closed_by_server(idle.front())); // the oldest idle connections gave way
    // When every connection is the client's, the cap holds: a further one is closed at once.
    std::vector<tcp::socket> mine;
    for (int i = 0; i < 3; ++i) {
        mine.emplace_back(ioc);
        mine.back().connect(endpoint(server.port));
        BOOST_TEST(keep_alive_request(mine.back(), health) == "HTTP/1.1 200 OK");
    }
    tcp::socket extra(ioc);
    extra.connect(endpoint(server.port));
    BOOST_TEST(closed_by_server(extra));
    BOOST_TEST(keep_alive_request(trusted, health) == "HTTP/1.1 200 OK");
    for (auto& s : mine)
        BOOST_TEST(keep_alive_request(s, health) == "HTTP/1.1 200 OK");
}

BOOST_AUTO_TEST_CASE(sigterm_with_a_half_sent_request_exits_within_a_second) {
    temp_dir state;
    server_process server(state.path, {"--db", (state.path / "none.sqlite").string()});
    net::io_context ioc; // the default read timeout (10 s) is far longer than the bar
    tcp::socket half_body(ioc), half_header(ioc);
    half_body.connect(endpoint(server.port));
    net::write(half_body, net::buffer("POST /v1/classify HTTP/1.1\r\n" + auth_lines(server) +
                                      "Content-Length: 100\r\n\r\n{\"items\""));
    half_header.connect(endpoint(server.port));
    net::write(half_header, net::buffer(std::string("GET /v1/health HTTP/1.1\r\nHost: 127")));
    std::this_thread::sleep_for(200ms);
    auto start = clock_type::now();
    int rc = server.stop(SIGTERM);
    double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    BOOST_TEST(rc == 0, server.output);
    BOOST_TEST(seconds < 1.0);
    BOOST_TEST(!std::filesystem::exists(state.path / "token"));
}

BOOST_AUTO_TEST_CASE(criteria_text_over_the_file_cap_is_refused_and_nothing_is_saved) {
    temp_dir state;
    server_process server(state.path, {"--db", (state.path / "none.sqlite").string()});
    auto before = http_call(server.port, server.token, "GET", "/v1/criteria");
    BOOST_REQUIRE(before.status == 200u);
    // Valid criteria padded past 256 KiB: the server could not read it back at its next start.
    std::string text = std::string(before.json().at("text").as_string());
    while (text.size() <= (256u << 10))
        text += "   - Relevant: sparse attention kernels\n";
    auto r = http_call(server.port, server.token, "PUT", "/v1/criteria",
                       json::serialize(json::object{{"text", text}}));
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(error_code_of("\r\n\r\n" + r.body) == "invalid_criteria", r.body);
    BOOST_TEST(r.body.find("256 KiB") != std::string::npos, r.body);
    BOOST_TEST(!std::filesystem::exists(state.path / "criteria.md"));
    BOOST_TEST(http_call(server.port, server.token, "GET", "/v1/criteria").body == before.body);
}
