// `sieve serve` end to end, faults found by an adversarial test (issue 17): HEAD answered with a
// body, duplicate Host / Origin headers, the bulk-job body cap. Runs the real binary ($SIEVE_BIN).
#define BOOST_TEST_MODULE server_hardening
#include "tests/support/library_copy.hpp"
#include "tests/support/server_process.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>


using namespace sieve::test;
namespace net = boost::asio;
namespace json = boost::json;
using tcp = net::ip::tcp;

namespace {

tcp::endpoint endpoint(unsigned short port) {
    return {net::ip::make_address("127.0.0.1"), port};
}

// Host and Authorization header lines for `server`.
std::string auth_lines(const server_process& server) {
    return "Host: 127.0.0.1:" + std::to_string(server.port) +
           "\r\nAuthorization: Bearer " + server.token + "\r\n";
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
         {host + "Host: attacker.example\r\n", "Host: attacker.example\r\n" + host,
          host + host, host + "Origin: chrome://zotero\r\nOrigin: https://attacker.example\r\n",
          host + "Origin: https://attacker.example\r\nOrigin: chrome://zotero\r\n",
          host + token}) {
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
