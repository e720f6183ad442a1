// One connection of http_server (connector/http/http_server.hpp), on its own strand: read the
// header (with a read timeout and the header and body limits), let the handler check it, read
// the body (a new timeout), handle the request on the worker pool, write the response (a write
// timeout), and repeat while the client keeps the connection alive. The response to a HEAD request
// is its header only (with the Content-Length the body would have had), so a pipelined request
// after it is read correctly. After a response that closes the connection it lingers: stops
// sending and drops what the client still sends, so the client reads the whole response. No
// exception leaves a completion handler. Internal to connector/http/.
#pragma once
#include "connector/http/http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace sieve {

class http_session;
class http_listener;

// What the server, its listeners and its sessions share; `mutex` guards sessions, listeners and
// next_serial.
struct http_server_state {
    http_server_state(boost::asio::io_context& c, boost::asio::thread_pool& p, http_handler& h,
                      server_limits l)
        : ioc(c), pool(p), handler(h), limits(l) {}
    boost::asio::io_context& ioc;
    boost::asio::thread_pool& pool;
    http_handler& handler;
    server_limits limits;
    std::atomic<bool> stopping{false};
    std::mutex mutex;
    std::unordered_map<http_session*, std::weak_ptr<http_session>> sessions;
    std::vector<std::shared_ptr<http_listener>> listeners;
    std::uint64_t next_serial = 0; // accept order of the sessions
};

// A JSON error response {"error":{"code","message"}}, not cached.
http_response error_response(boost::beast::http::status status, std::string_view code,
                             std::string_view message);

class http_session : public std::enable_shared_from_this<http_session> {
public:
    // The session is listed in shared->sessions by its owner and removes itself when destroyed.
    // `serial`: its place in accept order.
    http_session(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<http_server_state> shared,
                 std::uint64_t serial);
    ~http_session();
    void run(); // starts reading the first request
    // Closes the connection if it waits for a new request. A request still arriving gets
    // stop_grace to complete, a request being handled is answered; then the connection closes.
    void stop();
    // Closes the connection unless a request on it has passed the handler's header check: at the
    // connection cap, the oldest connection that never authenticated gives way to a new one.
    void evict();

    // Read by the listener under shared->mutex (the session cannot be destroyed meanwhile).
    bool trusted() const { return trusted_.load(); }   // a request passed check_header
    bool evicting() const { return evicting_.load(); } // evict() was called and has not declined
    void mark_evicting() { evicting_ = true; }
    std::uint64_t serial() const { return serial_; }

private:
    using error_code = boost::system::error_code;
    void do_read_header();
    void on_header(error_code ec, std::size_t);
    // Sets the parser's body limit to the route's; false when the announced length exceeds it.
    bool apply_body_limit();
    void send_continue();
    void do_read_body();
    void on_body(error_code ec, std::size_t);
    // Hands the request to the worker pool; the response comes back on this session's strand.
    void on_request();
    void send_error(boost::beast::http::status status, std::string_view code,
                    std::string_view message);
    // Writes `res` (its header only when answering HEAD); closes afterwards when `close`.
    void send(http_response&& res, bool close);
    template <class Message> void write(std::shared_ptr<Message> m);
    void on_write(error_code ec, bool close_after);
    // Graceful close: stop sending, then read and drop what the client still sends (so that
    // the kernel does not reset the connection before the client has read our response).
    void linger();
    void do_drain();
    void close();
    bool idle() const; // waiting for a request of which nothing has arrived

    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    std::shared_ptr<http_server_state> shared_;
    boost::asio::steady_timer stop_timer_; // the grace a request still arriving gets at stop()
    const std::uint64_t serial_;
    std::atomic<bool> trusted_{false};
    std::atomic<bool> evicting_{false};
    std::array<char, 16384> drain_buffer_{};
    std::size_t drained_ = 0;
    bool busy_ = false;
    bool lingering_ = false;
    bool head_ = false; // the request being answered is HEAD
};

} // namespace sieve
