// Loopback HTTP/1.1 server on Boost.Beast. One session per connection on its own strand; a read
// timeout before every header and every body read; an explicit header and body limit; a cap on
// concurrent connections. Request handling runs on a worker pool so slow classification never
// blocks I/O. The server only moves bytes: what to answer is the http_handler's job.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/http.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace sieve {

using http_request = boost::beast::http::request<boost::beast::http::string_body>;
using http_response = boost::beast::http::response<boost::beast::http::string_body>;
using http_header = boost::beast::http::request_header<>;

class http_handler {
public:
    virtual ~http_handler() = default;
    // Called once a request's header is read, before its body. A response returned here is sent
    // instead of reading the body, and the connection is closed after it. Runs on the I/O thread.
    virtual std::optional<http_response> check_header(const http_header& h) = 0;
    // The largest body this request may carry, asked once check_header has passed it; none:
    // server_limits::body_limit. Never more than server_limits::max_body_limit.
    virtual std::optional<std::uint64_t> body_limit(const http_header&) { return std::nullopt; }
    // The response to a complete request. Runs on the worker pool. An escaping exception
    // becomes a 500 internal_error.
    virtual http_response handle(const http_request& r) = 0;
};

struct server_limits {
    std::chrono::milliseconds read_timeout{10000};  // for the header, then again for the body
    std::chrono::milliseconds write_timeout{30000}; // for a response
    std::uint64_t body_limit = 1 << 20;     // larger bodies get 413, unless the route allows more
    std::uint64_t max_body_limit = 4 << 20; // no route allows more (413 from the header alone)
    std::uint32_t header_limit = 16 * 1024;         // larger headers get 431
    // Open connections. At the cap a new one takes the place of the oldest that has not
    // authenticated; when all have, it is closed at once.
    std::size_t max_connections = 256;
};

struct http_server_state; // shared with the listeners and sessions (http_session.hpp)

class http_server {
public:
    http_server(boost::asio::io_context& ioc, boost::asio::thread_pool& pool, http_handler& handler,
                server_limits limits);
    ~http_server();
    http_server(const http_server&) = delete;
    http_server& operator=(const http_server&) = delete;

    // Binds 127.0.0.1:port (0: an ephemeral port) and then [::1] on the same port. Returns the
    // port. Errors (one line): the IPv4 socket could not be bound. An IPv6 failure is tolerated
    // and described by ipv6_warning().
    boost::system::result<unsigned short, std::string> listen(unsigned short port);
    const std::string& ipv6_warning() const { return ipv6_warning_; }

    void start(); // begins accepting on every bound socket

    // Thread-safe, idempotent: closes the acceptors first, then idle connections; a request
    // still arriving gets half a second to complete, requests in flight are answered, and every
    // connection is closed. io_context::run returns once all is done: within about a second,
    // whatever the read timeout, unless a handler itself takes longer.
    void stop();

private:
    std::shared_ptr<http_server_state> shared_;
    std::string ipv6_warning_;
};

} // namespace sieve
