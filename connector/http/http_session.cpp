#include "connector/http/http_session.hpp"

#include "connector/wire/api_json.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <exception>

namespace sieve {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

http_response error_response(http::status status, std::string_view code,
                             std::string_view message) {
    http_response res{status, 11};
    res.set(http::field::content_type, "application/json");
    res.set(http::field::cache_control, "no-store");
    res.body() = error_body(code, message);
    return res;
}

namespace {

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
// Once the server stops: how long a request still arriving may take to complete, and how long a
// closing connection lingers. The process exits within about a second of SIGTERM.
constexpr std::chrono::milliseconds stop_grace{500};
constexpr std::chrono::milliseconds stop_linger{250};

} // namespace

http_session::http_session(tcp::socket&& socket, std::shared_ptr<http_server_state> shared,
                           std::uint64_t serial)
    : stream_(std::move(socket)), shared_(std::move(shared)), stop_timer_(stream_.get_executor()),
      serial_(serial) {}

http_session::~http_session() {
    std::lock_guard lock(shared_->mutex);
    shared_->sessions.erase(this);
}

void http_session::run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&http_session::do_read_header, shared_from_this()));
}

bool http_session::idle() const {
    return !busy_ && !lingering_ && buffer_.size() == 0 && (!parser_ || !parser_->got_some());
}

void http_session::stop() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
        if (self->idle())
            return self->close();
        // A pending read keeps its own deadline (beast::tcp_stream): a timer cuts it short.
        self->stop_timer_.expires_after(stop_grace);
        self->stop_timer_.async_wait([self](error_code ec) {
            if (!ec && !self->busy_)
                self->close();
        });
    });
}

void http_session::evict() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
        if (self->trusted_.load())
            self->evicting_ = false; // it authenticated meanwhile: it stays
        else
            self->close();
    });
}

void http_session::do_read_header() {
    parser_.emplace();
    parser_->header_limit(shared_->limits.header_limit);
    parser_->body_limit(shared_->limits.max_body_limit); // the route's own limit once it is known
    stream_.expires_after(shared_->limits.read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&http_session::on_header, shared_from_this()));
}

void http_session::on_header(error_code ec, std::size_t) {
    head_ = parser_->get().method() == http::verb::head;
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
    trusted_ = true;
    if (!apply_body_limit())
        return send_error(http::status::payload_too_large, "body_too_large",
                          "the request body exceeds the limit of this route");
    if (parser_->is_done())
        return on_request();
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue"))
        return send_continue();
    do_read_body();
}

bool http_session::apply_body_limit() {
    const auto& limits = shared_->limits;
    const std::uint64_t limit = std::min(
        shared_->handler.body_limit(parser_->get().base()).value_or(limits.body_limit),
        limits.max_body_limit);
    if (auto announced = parser_->content_length(); announced && *announced > limit)
        return false;
    parser_->body_limit(limit); // a chunked body is held to it while it is read
    return true;
}

void http_session::send_continue() {
    auto res = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
    stream_.expires_after(shared_->limits.write_timeout);
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res](error_code ec, std::size_t) {
                          if (ec)
                              return self->close();
                          self->do_read_body();
                      });
}

void http_session::do_read_body() {
    stream_.expires_after(shared_->limits.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&http_session::on_body, shared_from_this()));
}

void http_session::on_body(error_code ec, std::size_t) {
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

void http_session::on_request() {
    busy_ = true;
    auto req = std::make_shared<http_request>(parser_->release());
    auto ex = net::prefer(stream_.get_executor(), net::execution::outstanding_work.tracked);
    net::post(shared_->pool, [self = shared_from_this(), req, ex] {
        auto res = std::make_shared<http_response>(handle_safely(self->shared_->handler, *req));
        bool close = !req->keep_alive();
        net::post(ex, [self, res, close] { self->send(std::move(*res), close); });
    });
}

void http_session::send_error(http::status status, std::string_view code, std::string_view message) {
    send(error_response(status, code, message), true);
}

void http_session::send(http_response&& res, bool close) {
    busy_ = true;
    close = close || shared_->stopping.load();
    res.version(11);
    res.keep_alive(!close);
    res.prepare_payload(); // Content-Length of the body, also for HEAD (RFC 9110, 9.3.2)
    if (head_)
        return write(std::make_shared<http::response<http::empty_body>>(std::move(res.base())));
    write(std::make_shared<http_response>(std::move(res)));
}

template <class Message> void http_session::write(std::shared_ptr<Message> m) {
    stream_.expires_after(shared_->stopping.load()
                              ? std::min(shared_->limits.write_timeout, stop_grace)
                              : shared_->limits.write_timeout);
    http::async_write(stream_, *m, [self = shared_from_this(), m](error_code ec, std::size_t) {
        self->on_write(ec, m->need_eof());
    });
}

void http_session::on_write(error_code ec, bool close_after) {
    busy_ = false;
    if (ec)
        return close();
    if (close_after || shared_->stopping.load())
        return linger();
    do_read_header();
}

void http_session::linger() {
    lingering_ = true;
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec)
        return close();
    stream_.expires_after(shared_->stopping.load()
                              ? stop_linger
                              : std::min(shared_->limits.read_timeout,
                                         std::chrono::milliseconds(2000)));
    do_drain();
}

void http_session::do_drain() {
    stream_.async_read_some(net::buffer(drain_buffer_),
                            [self = shared_from_this()](error_code ec, std::size_t n) {
                                self->drained_ += n;
                                if (ec || self->drained_ > linger_drain_limit)
                                    return self->close();
                                self->do_drain();
                            });
}

void http_session::close() {
    stop_timer_.cancel();
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
}

} // namespace sieve
