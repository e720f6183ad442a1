#include "connector/http/http_server.hpp"

#include "connector/wire/api_json.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>

#include <atomic>
#include <exception>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace sieve {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

struct http_server::shared_state {
    shared_state(net::io_context& c, net::thread_pool& p, http_handler& h, server_limits l)
        : ioc(c), pool(p), handler(h), limits(l) {}
    net::io_context& ioc;
    net::thread_pool& pool;
    http_handler& handler;
    server_limits limits;
    std::atomic<bool> stopping{false};
    std::mutex mutex; // guards sessions and listeners
    std::unordered_map<const void*, std::weak_ptr<session>> sessions;
    std::vector<std::shared_ptr<listener>> listeners;
};

namespace {

http_response error_response(http::status status, std::string_view code, std::string_view message) {
    http_response res{status, 11};
    res.set(http::field::content_type, "application/json");
    res.set(http::field::cache_control, "no-store");
    res.body() = error_body(code, message);
    return res;
}

http_response handle_safely(http_handler& handler, const http_request& req) noexcept {
    try {
        return handler.handle(req);
    } catch (const std::exception& e) {
        return error_response(http::status::internal_server_error, "internal_error", e.what());
    } catch (...) {
        return error_response(http::status::internal_server_error, "internal_error", "unknown");
    }
}

constexpr std::size_t linger_drain_limit = 4u << 20; // bytes read and dropped before closing

} // namespace

// One connection: read header -> check -> read body -> handle on the pool -> write -> repeat.
class http_server::session : public std::enable_shared_from_this<session> {
public:
    session(tcp::socket&& socket, std::shared_ptr<shared_state> shared)
        : stream_(std::move(socket)), shared_(std::move(shared)) {}

    ~session() {
        std::lock_guard lock(shared_->mutex);
        shared_->sessions.erase(this);
    }

    void run() {
        net::dispatch(stream_.get_executor(),
                      beast::bind_front_handler(&session::do_read_header, shared_from_this()));
    }

    // Closes the connection if it waits for a new request; otherwise it closes after answering.
    void stop() {
        net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
            if (!self->busy_ && !self->lingering_ && self->buffer_.size() == 0 &&
                (!self->parser_ || !self->parser_->got_some())) {
                error_code ec;
                self->stream_.socket().close(ec);
            }
        });
    }

private:
    void do_read_header() {
        parser_.emplace();
        parser_->header_limit(shared_->limits.header_limit);
        parser_->body_limit(shared_->limits.body_limit);
        stream_.expires_after(shared_->limits.read_timeout);
        http::async_read_header(stream_, buffer_, *parser_,
                                beast::bind_front_handler(&session::on_header, shared_from_this()));
    }

    void on_header(error_code ec, std::size_t) {
        if (ec == http::error::body_limit)
            return send_error(http::status::payload_too_large, "body_too_large",
                              "the request body exceeds the limit");
        if (ec == http::error::header_limit)
            return send_error(http::status::request_header_fields_too_large, "header_too_large",
                              "the request header exceeds the limit");
        if (ec) {
            if (parser_->got_some() && ec != beast::error::timeout &&
                ec != net::error::operation_aborted && ec != http::error::end_of_stream)
                return send_error(http::status::bad_request, "bad_request", ec.message());
            return close();
        }
        if (auto early = shared_->handler.check_header(parser_->get().base()))
            return send(std::move(*early), true);
        if (parser_->is_done())
            return on_request();
        if (beast::iequals(parser_->get()[http::field::expect], "100-continue"))
            return send_continue();
        do_read_body();
    }

    void send_continue() {
        auto res = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
        stream_.expires_after(shared_->limits.write_timeout);
        http::async_write(stream_, *res,
                          [self = shared_from_this(), res](error_code ec, std::size_t) {
                              if (ec)
                                  return self->close();
                              self->do_read_body();
                          });
    }

    void do_read_body() {
        stream_.expires_after(shared_->limits.read_timeout);
        http::async_read(stream_, buffer_, *parser_,
                         beast::bind_front_handler(&session::on_body, shared_from_this()));
    }

    void on_body(error_code ec, std::size_t) {
        if (ec == http::error::body_limit)
            return send_error(http::status::payload_too_large, "body_too_large",
                              "the request body exceeds the limit");
        if (ec == beast::error::timeout || ec == net::error::operation_aborted ||
            ec == http::error::end_of_stream || ec == net::error::eof)
            return close();
        if (ec)
            return send_error(http::status::bad_request, "bad_request", ec.message());
        on_request();
    }

    // Hands the request to the worker pool; the response comes back on this session's strand.
    void on_request() {
        busy_ = true;
        auto req = std::make_shared<http_request>(parser_->release());
        auto ex = net::prefer(stream_.get_executor(), net::execution::outstanding_work.tracked);
        net::post(shared_->pool, [self = shared_from_this(), req, ex] {
            auto res = std::make_shared<http_response>(handle_safely(self->shared_->handler, *req));
            bool close = !req->keep_alive();
            net::post(ex, [self, res, close] { self->send(std::move(*res), close); });
        });
    }

    void send_error(http::status status, std::string_view code, std::string_view message) {
        send(error_response(status, code, message), true);
    }

    void send(http_response&& res, bool close) {
        busy_ = true;
        close = close || shared_->stopping.load();
        res_ = std::make_shared<http_response>(std::move(res));
        res_->version(11);
        res_->keep_alive(!close);
        res_->prepare_payload();
        stream_.expires_after(shared_->limits.write_timeout);
        http::async_write(stream_, *res_,
                          beast::bind_front_handler(&session::on_write, shared_from_this()));
    }

    void on_write(error_code ec, std::size_t) {
        busy_ = false;
        bool close_after = !res_ || res_->need_eof();
        res_.reset();
        if (ec)
            return close();
        if (close_after || shared_->stopping.load())
            return linger();
        do_read_header();
    }

    // Graceful close: stop sending, then read and drop what the client still sends (so that
    // the kernel does not reset the connection before the client has read our response).
    void linger() {
        lingering_ = true;
        error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        if (ec)
            return close();
        stream_.expires_after(
            std::min(shared_->limits.read_timeout, std::chrono::milliseconds(2000)));
        do_drain();
    }

    void do_drain() {
        stream_.async_read_some(net::buffer(drain_buffer_),
                                [self = shared_from_this()](error_code ec, std::size_t n) {
                                    self->drained_ += n;
                                    if (ec || self->drained_ > linger_drain_limit)
                                        return self->close();
                                    self->do_drain();
                                });
    }

    void close() {
        error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        stream_.socket().close(ec);
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<http_response> res_;
    std::shared_ptr<shared_state> shared_;
    std::array<char, 16384> drain_buffer_{};
    std::size_t drained_ = 0;
    bool busy_ = false;
    bool lingering_ = false;
};

// Accepts connections on one bound socket; each connection gets a session on its own strand.
class http_server::listener : public std::enable_shared_from_this<listener> {
public:
    listener(std::shared_ptr<shared_state> shared)
        : shared_(std::move(shared)), acceptor_(net::make_strand(shared_->ioc)) {}

    boost::system::result<unsigned short> bind(const tcp::endpoint& ep, bool v6_only) {
        error_code ec;
        acceptor_.open(ep.protocol(), ec);
        if (!ec && v6_only)
            acceptor_.set_option(net::ip::v6_only(true), ec);
        if (!ec)
            acceptor_.set_option(net::socket_base::reuse_address(true), ec);
        if (!ec)
            acceptor_.bind(ep, ec);
        if (!ec)
            acceptor_.listen(net::socket_base::max_listen_connections, ec);
        if (ec)
            return ec;
        auto local = acceptor_.local_endpoint(ec);
        if (ec)
            return ec;
        return local.port();
    }

    void run() {
        net::dispatch(acceptor_.get_executor(),
                      beast::bind_front_handler(&listener::do_accept, shared_from_this()));
    }

    void stop() {
        net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] {
            error_code ec;
            self->acceptor_.close(ec);
        });
    }

private:
    void do_accept() {
        acceptor_.async_accept(net::make_strand(shared_->ioc),
                               beast::bind_front_handler(&listener::on_accept, shared_from_this()));
    }

    void on_accept(error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !acceptor_.is_open())
            return;
        if (!ec)
            admit(std::move(socket));
        if (shared_->stopping.load())
            return;
        do_accept();
    }

    void admit(tcp::socket socket) {
        std::shared_ptr<session> s;
        {
            std::lock_guard lock(shared_->mutex);
            if (shared_->stopping.load() ||
                shared_->sessions.size() >= shared_->limits.max_connections) {
                error_code ignored;
                socket.close(ignored);
                return;
            }
            s = std::make_shared<session>(std::move(socket), shared_);
            shared_->sessions.emplace(s.get(), s);
        }
        s->run();
    }

    std::shared_ptr<shared_state> shared_;
    tcp::acceptor acceptor_;
};

http_server::http_server(net::io_context& ioc, net::thread_pool& pool, http_handler& handler,
                         server_limits limits)
    : shared_(new shared_state{ioc, pool, handler, limits}) {} // clang 14: no paren-aggregate init

http_server::~http_server() {
    stop();
}

boost::system::result<unsigned short, std::string> http_server::listen(unsigned short port) {
    auto v4 = std::make_shared<listener>(shared_);
    auto bound = v4->bind({net::ip::address_v4::loopback(), port}, false);
    if (!bound)
        return "cannot listen on 127.0.0.1:" + std::to_string(port) + ": " +
               bound.error().message();
    auto v6 = std::make_shared<listener>(shared_);
    auto bound6 = v6->bind({net::ip::address_v6::loopback(), *bound}, true);
    std::lock_guard lock(shared_->mutex);
    shared_->listeners.push_back(v4);
    if (bound6)
        shared_->listeners.push_back(v6);
    else
        ipv6_warning_ = "[::1]:" + std::to_string(*bound) + " unavailable (" +
                        bound6.error().message() + "); serving on 127.0.0.1 only";
    return *bound;
}

void http_server::start() {
    std::lock_guard lock(shared_->mutex);
    for (auto& l : shared_->listeners)
        l->run();
}

void http_server::stop() {
    if (shared_->stopping.exchange(true))
        return;
    std::vector<std::shared_ptr<session>> live;
    {
        std::lock_guard lock(shared_->mutex);
        for (auto& l : shared_->listeners)
            l->stop();
        shared_->listeners.clear(); // each listener holds shared_: break the cycle
        for (auto& [key, weak] : shared_->sessions)
            if (auto s = weak.lock())
                live.push_back(std::move(s));
    }
    for (auto& s : live)
        s->stop();
}

} // namespace sieve
