#include "tests/support/fake_llm_server.hpp"

#include "connector/llm/llm_prompt.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <stdexcept>
#include <sys/socket.h>
#include <thread>

namespace sieve::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = net::ip::tcp;
namespace ssl = net::ssl;

struct fake_llm_server::state {
    handler answer;
    std::unique_ptr<ssl::context> tls; // HTTPS when set
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
        if (!tls)
            return exchange(sock);
        ssl::stream<tcp::socket&> stream(sock, *tls);
        boost::system::error_code ec;
        stream.handshake(ssl::stream_base::server, ec);
        if (!ec)
            exchange(stream);
    }

    // One request and its answer on `s` (a socket, or a TLS stream over one).
    template <class Stream> void exchange(Stream& s) {
        beast::flat_buffer buffer;
        http::request<http::string_body> req;
        boost::system::error_code ec;
        http::read(s, buffer, req, ec);
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
        http::write(s, res, ec);
        beast::get_lowest_layer(s).shutdown(tcp::socket::shutdown_both, ec);
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

fake_llm_server::fake_llm_server(handler h, std::optional<tls_identity> tls)
    : state_(std::make_shared<state>()), calls_(state_->calls) {
    state_->answer = std::move(h);
    if (tls) {
        state_->tls = std::make_unique<ssl::context>(ssl::context::tls_server);
        state_->tls->use_certificate_chain(net::buffer(tls->cert_pem));
        state_->tls->use_private_key(net::buffer(tls->key_pem), ssl::context::pem);
    }
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
    return (state_->tls ? "https://localhost:" : "http://127.0.0.1:") + std::to_string(port_) +
           "/v1";
}

namespace {

template <class T, void (*free_fn)(T*)> struct ossl_deleter {
    void operator()(T* p) const { free_fn(p); }
};
template <class T, void (*free_fn)(T*)> using ossl_ptr = std::unique_ptr<T, ossl_deleter<T, free_fn>>;

void check(bool ok, const char* what) {
    if (!ok)
        throw std::runtime_error(std::string("make_self_signed: ") + what);
}

std::string pem_of(const std::function<int(BIO*)>& write) {
    ossl_ptr<BIO, BIO_free_all> bio(BIO_new(BIO_s_mem()));
    check(bio && write(bio.get()) == 1, "PEM");
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, std::size_t(n));
}

} // namespace

tls_identity make_self_signed(const std::string& host) {
    ossl_ptr<EVP_PKEY, EVP_PKEY_free> key(EVP_EC_gen("P-256"));
    ossl_ptr<X509, X509_free> x(X509_new());
    check(key && x, "key");
    X509_set_version(x.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(x.get()), -60);
    X509_gmtime_adj(X509_getm_notAfter(x.get()), 3600);
    check(X509_set_pubkey(x.get(), key.get()) == 1, "public key");
    X509_NAME* name = X509_get_subject_name(x.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(host.c_str()), -1, -1, 0);
    X509_set_issuer_name(x.get(), name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x.get(), x.get(), nullptr, nullptr, 0);
    const std::string san = "DNS:" + host + ",IP:127.0.0.1";
    ossl_ptr<X509_EXTENSION, X509_EXTENSION_free> ext(
        X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, san.c_str()));
    check(ext && X509_add_ext(x.get(), ext.get(), -1) == 1, "subjectAltName");
    check(X509_sign(x.get(), key.get(), EVP_sha256()) > 0, "signature");
    return {pem_of([&](BIO* b) { return PEM_write_bio_X509(b, x.get()); }),
            pem_of([&](BIO* b) {
                return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
            })};
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
