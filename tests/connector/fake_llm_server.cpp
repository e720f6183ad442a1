#include "fake_llm_server.hpp"

#include "connector/llm_prompt.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <sys/socket.h>
#include <thread>

namespace sieve::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = net::ip::tcp;

struct fake_llm_server::state {
    handler answer;
    net::io_context ioc;
    tcp::acceptor acceptor{ioc};
    std::atomic<bool> stop{false};
    std::atomic<int> calls{0};
    std::mutex mu;
    std::vector<fake_llm_request> seen;
    std::vector<std::thread> threads;
    std::thread accept_thread;

    static fake_llm_request read_request(const http::request<http::string_body>& req) {
        fake_llm_request r;
        r.target = std::string(req.target());
        r.authorization = std::string(req[http::field::authorization]);
        boost::system::error_code ec;
        r.body = json::parse(req.body(), ec);
        if (ec || !r.body.is_object())
            return r;
        const auto* msgs = r.body.get_object().if_contains("messages");
        if (!msgs || !msgs->is_array() || msgs->get_array().size() < 2)
            return r;
        std::string content(msgs->get_array()[1].at("content").as_string());
        auto at = content.find(llm_papers_marker);
        if (at == std::string::npos)
            return r;
        json::value papers = json::parse(content.substr(at + llm_papers_marker.size()), ec);
        if (!ec && papers.is_array())
            for (const auto& p : papers.get_array())
                r.papers.push_back({std::string(p.at("id").as_string()),
                                    std::string(p.at("title").as_string()),
                                    std::string(p.at("abstract").as_string())});
        return r;
    }

    void serve(tcp::socket sock) {
        timeval tv{5, 0};
        ::setsockopt(sock.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        beast::flat_buffer buffer;
        http::request<http::string_body> req;
        boost::system::error_code ec;
        http::read(sock, buffer, req, ec);
        if (ec)
            return;
        fake_llm_request r = read_request(req);
        int call = calls++;
        {
            std::lock_guard l(mu);
            seen.push_back(r);
        }
        fake_llm_reply reply = answer(r, call);
        auto until = std::chrono::steady_clock::now() + reply.delay;
        while (std::chrono::steady_clock::now() < until && !stop)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        http::response<http::string_body> res{http::status(reply.status), 11};
        res.set(http::field::content_type, "application/json");
        for (const auto& [k, v] : reply.headers)
            res.set(k, v);
        res.keep_alive(false);
        res.body() = reply.body;
        res.prepare_payload();
        http::write(sock, res, ec);
        sock.shutdown(tcp::socket::shutdown_both, ec);
    }

    void accept_loop() {
        while (!stop) {
            tcp::socket sock(ioc);
            boost::system::error_code ec;
            acceptor.accept(sock, ec);
            if (ec) {
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
                continue;
            }
            sock.non_blocking(false, ec);
            std::lock_guard l(mu);
            threads.emplace_back([this, s = std::move(sock)]() mutable { serve(std::move(s)); });
        }
    }
};

fake_llm_server::fake_llm_server(handler h)
    : state_(std::make_shared<state>()), calls_(state_->calls) {
    state_->answer = std::move(h);
    tcp::endpoint ep(net::ip::make_address("127.0.0.1"), 0);
    state_->acceptor.open(ep.protocol());
    state_->acceptor.set_option(tcp::acceptor::reuse_address(true));
    state_->acceptor.bind(ep);
    state_->acceptor.listen();
    state_->acceptor.non_blocking(true);
    port_ = state_->acceptor.local_endpoint().port();
    state_->accept_thread = std::thread([s = state_.get()] { s->accept_loop(); });
}

fake_llm_server::~fake_llm_server() {
    state_->stop = true;
    state_->accept_thread.join();
    std::vector<std::thread> threads;
    {
        std::lock_guard l(state_->mu);
        threads.swap(state_->threads);
    }
    for (auto& t : threads)
        t.join();
}

std::string fake_llm_server::url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/v1";
}

std::vector<fake_llm_request> fake_llm_server::requests() const {
    std::lock_guard l(state_->mu);
    return state_->seen;
}

std::string chat_response(const std::string& content, int prompt_tokens, int completion_tokens) {
    json::object o{
        {"id", "chatcmpl-test"},
        {"object", "chat.completion"},
        {"choices", json::array{json::object{
                        {"index", 0},
                        {"message", json::object{{"role", "assistant"}, {"content", content}}},
                        {"finish_reason", "stop"}}}},
        {"usage", json::object{{"prompt_tokens", prompt_tokens},
                               {"completion_tokens", completion_tokens},
                               {"total_tokens", prompt_tokens + completion_tokens}}}};
    return json::serialize(o);
}

std::string answer_papers(const fake_llm_request& r, const std::string& verdict,
                          const std::string& topic,
                          const std::function<bool(const fake_paper&)>& keep) {
    json::array papers;
    for (const auto& p : r.papers) {
        if (keep && !keep(p))
            continue;
        auto second_space = p.title.find(' ', p.title.find(' ') + 1);
        std::string quote = p.title.substr(0, second_space);
        papers.push_back(json::object{
            {"id", p.id},
            {"verdict", verdict},
            {"topics", topic.empty() ? json::array{} : json::array{json::value(topic)}},
            {"score", verdict == "relevant"      ? 8
                      : verdict == "application" ? 4
                                                 : 1},
            {"reason", "The test server says so."},
            {"evidence", json::array{json::object{{"quote", quote}, {"line", 6}}}}});
    }
    return "```json\n" + json::serialize(json::object{{"papers", std::move(papers)}}) + "\n```";
}

} // namespace sieve::test
