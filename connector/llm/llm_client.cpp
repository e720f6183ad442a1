#include "connector/llm/llm_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <thread>

namespace sieve {

namespace net = boost::asio;
namespace ssl = net::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;
using clock_type = std::chrono::steady_clock;
using post_result = boost::system::result<chat_reply, chat_error>;

struct llm_client::tls_state {
    ssl::context ctx{ssl::context::tls_client};
};

namespace {

// Runs one asynchronous operation on `ioc` to completion (its own timer ends it at the
// deadline), or until `stop` becomes true (then: operation_aborted; the pending operation dies
// with the io_context).
template <class Start>
error_code run_op(net::io_context& ioc, const std::atomic<bool>* stop, Start start) {
    error_code result = net::error::would_block;
    bool done = false;
    start([&](error_code ec, auto&&...) {
        result = ec;
        done = true;
    });
    ioc.restart();
    while (!done) {
        ioc.run_for(std::chrono::milliseconds(100));
        if (!done && stop && *stop)
            return net::error::operation_aborted;
        if (!done && ioc.stopped())
            ioc.restart();
    }
    return result;
}

chat_error transport_error(std::string_view what, const error_code& ec) {
    std::string why = ec == beast::error::timeout ? "timed out" : ec.message();
    return {0, std::string(what) + ": " + why, std::nullopt};
}

std::optional<std::chrono::seconds> retry_after(std::string_view v) {
    if (v.empty() || v.size() > 9 ||
        !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    return std::chrono::seconds(std::stol(std::string(v)));
}

std::string one_line(std::string_view s, std::size_t n) {
    std::string out;
    for (char c : s.substr(0, n))
        out.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
    return out;
}

// Writes `req` and reads the response on an open stream; the result of the whole exchange.
template <class Stream>
post_result exchange(net::io_context& ioc, const std::atomic<bool>* stop, Stream& stream,
                     http::request<http::string_body>& req) {
    if (auto ec = run_op(ioc, stop, [&](auto h) { http::async_write(stream, req, h); }))
        return transport_error("sending the request", ec);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(16u << 20);
    if (auto ec = run_op(ioc, stop, [&](auto h) { http::async_read(stream, buffer, parser, h); }))
        return transport_error("reading the response", ec);
    const auto& res = parser.get();
    if (res.result() != http::status::ok)
        return chat_error{res.result_int(),
                          "HTTP " + std::to_string(res.result_int()) + ": " +
                              one_line(res.body(), 200),
                          retry_after(res[http::field::retry_after])};
    auto reply = parse_chat_response(res.body());
    if (!reply)
        return chat_error{res.result_int(), reply.error(), std::nullopt};
    if (reply->prompt_tokens < 0) // no usage reported: estimate from the bytes sent
        reply->prompt_tokens = std::int64_t(req.body().size() / 4 + 1);
    return *reply;
}

} // namespace

boost::system::result<llm_endpoint, std::string> parse_llm_url(std::string_view url) {
    llm_endpoint e;
    if (url.substr(0, 7) == "http://") {
        url.remove_prefix(7);
    } else if (url.substr(0, 8) == "https://") {
        url.remove_prefix(8);
        e.tls = true;
    } else {
        return std::string("the LLM URL must start with http:// or https://");
    }
    auto slash = url.find('/');
    std::string_view authority = url.substr(0, slash);
    std::string_view path = slash == std::string_view::npos ? "" : url.substr(slash);
    if (authority.find('@') != std::string_view::npos || url.find_first_of("?#") != url.npos)
        return std::string("the LLM URL must not hold user info, a query or a fragment "
                           "(use --llm-key-env or <state-dir>/llm-key for a key)");
    std::string_view host = authority, port;
    if (!host.empty() && host[0] == '[') {
        auto close = host.find(']');
        if (close == std::string_view::npos)
            return std::string("the LLM URL has an unterminated [IPv6] host");
        port = host.substr(close + 1);
        host = host.substr(1, close - 1);
        if (!port.empty() && port[0] != ':')
            return std::string("the LLM URL has text after its [IPv6] host");
        if (!port.empty())
            port.remove_prefix(1);
    } else if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
        port = host.substr(colon + 1);
        host = host.substr(0, colon);
    }
    if (host.empty() || (!port.empty() && !std::all_of(port.begin(), port.end(), [](char c) {
            return c >= '0' && c <= '9';
        })))
        return std::string("the LLM URL needs a host and a numeric port");
    e.host = std::string(host);
    e.port = port.empty() ? (e.tls ? "443" : "80") : std::string(port);
    while (!path.empty() && path.back() == '/')
        path.remove_suffix(1);
    e.path = std::string(path);
    return e;
}

boost::system::result<chat_reply, std::string> parse_chat_response(std::string_view body) {
    error_code ec;
    json::value v = json::parse(body, ec);
    if (ec || !v.is_object())
        return {boost::system::in_place_error, "the LLM server's response is not a JSON object"};
    const json::value* choices = v.get_object().if_contains("choices");
    const json::value* content = nullptr;
    if (choices && choices->is_array() && !choices->get_array().empty())
        if (const auto* c0 = choices->get_array()[0].if_object())
            if (const auto* m = c0->if_contains("message"); m && m->is_object())
                content = m->get_object().if_contains("content");
    if (!content || !content->is_string())
        return {boost::system::in_place_error,
                "the LLM server's response has no choices[0].message.content"};
    chat_reply r;
    r.content = std::string(content->get_string());
    auto count = [&](const char* name) -> std::int64_t {
        const json::value* u = v.get_object().if_contains("usage");
        const json::value* n = u && u->is_object() ? u->get_object().if_contains(name) : nullptr;
        return n && n->is_int64() && n->get_int64() >= 0 ? n->get_int64() : -1;
    };
    r.prompt_tokens = count("prompt_tokens");
    r.completion_tokens = count("completion_tokens");
    if (r.completion_tokens < 0)
        r.completion_tokens = std::int64_t(r.content.size() / 4 + 1);
    return r;
}

llm_client::llm_client(llm_endpoint endpoint, std::string api_key, llm_client_options options)
    : endpoint_(std::move(endpoint)), api_key_(std::move(api_key)), options_(options) {
    if (endpoint_.tls) {
        tls_ = std::make_unique<tls_state>();
        tls_->ctx.set_default_verify_paths();
        tls_->ctx.set_verify_mode(ssl::verify_peer);
    }
}

llm_client::~llm_client() = default;

post_result llm_client::post_once(const std::string& body, const std::atomic<bool>* stop) const {
    net::io_context ioc(1);
    auto deadline = clock_type::now() + options_.timeout;
    tcp::resolver resolver(ioc);
    tcp::resolver::results_type endpoints;
    error_code ec = net::error::would_block;
    resolver.async_resolve(endpoint_.host, endpoint_.port,
                           [&](error_code e, tcp::resolver::results_type r) {
                               ec = e;
                               endpoints = std::move(r);
                           });
    while (ec == net::error::would_block && clock_type::now() < deadline && !(stop && *stop))
        ioc.run_for(std::chrono::milliseconds(100));
    if (ec == net::error::would_block)
        return chat_error{0, "resolving the LLM host: timed out", std::nullopt};
    if (ec)
        return transport_error("resolving the LLM host", ec);
    http::request<http::string_body> req{http::verb::post, endpoint_.path + "/chat/completions",
                                         11};
    bool v6 = endpoint_.host.find(':') != std::string::npos;
    req.set(http::field::host,
            (v6 ? "[" + endpoint_.host + "]" : endpoint_.host) + ":" + endpoint_.port);
    req.set(http::field::content_type, "application/json");
    req.set(http::field::accept, "application/json");
    req.set(http::field::user_agent, "sieve/" SIEVE_VERSION);
    if (!api_key_.empty())
        req.set(http::field::authorization, "Bearer " + api_key_);
    req.body() = body;
    req.prepare_payload();
    if (!tls_) {
        beast::tcp_stream stream(ioc);
        stream.expires_at(deadline);
        if (auto e = run_op(ioc, stop, [&](auto h) { stream.async_connect(endpoints, h); }))
            return transport_error("connecting to the LLM server", e);
        return exchange(ioc, stop, stream, req);
    }
    ssl::stream<beast::tcp_stream> stream(ioc, tls_->ctx);
    if (!SSL_set_tlsext_host_name(stream.native_handle(), endpoint_.host.c_str()))
        return chat_error{0, "TLS: cannot set the server name", std::nullopt};
    stream.set_verify_callback(ssl::host_name_verification(endpoint_.host));
    beast::get_lowest_layer(stream).expires_at(deadline);
    auto& tcp_layer = beast::get_lowest_layer(stream);
    if (auto e = run_op(ioc, stop, [&](auto h) { tcp_layer.async_connect(endpoints, h); }))
        return transport_error("connecting to the LLM server", e);
    if (auto e =
            run_op(ioc, stop, [&](auto h) { stream.async_handshake(ssl::stream_base::client, h); }))
        return transport_error("TLS handshake with the LLM server", e);
    return exchange(ioc, stop, stream, req);
}

post_result llm_client::post(const std::string& body, const std::atomic<bool>& stop) const {
    post_result r = post_once(body, &stop);
    for (int attempt = 1; !r && r.error().retryable() && attempt < options_.max_attempts;
         ++attempt) {
        auto wait = r.error().retry_after.value_or(std::chrono::seconds(1 << (attempt - 1)));
        auto until = clock_type::now() + std::min(wait, options_.max_backoff);
        while (clock_type::now() < until) {
            if (stop)
                return r;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        r = post_once(body, &stop);
    }
    return r;
}

} // namespace sieve
