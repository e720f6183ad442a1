// `sieve serve` end to end, faults found by an adversarial test (issue 17): HEAD answered with a
// body. Runs the real binary ($SIEVE_BIN).
#define BOOST_TEST_MODULE server_hardening
#include "tests/support/server_process.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>


using namespace sieve::test;
namespace net = boost::asio;
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

