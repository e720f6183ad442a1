// Test support: a local stand-in for an LLM server speaking the OpenAI chat-completions wire
// format (POST /v1/chat/completions), on Boost.Beast. Each connection runs on its own thread;
// what to answer (status, headers, body, delay) is the test's handler. Used by the LLM judge's
// tests and by bench/bench_llm_hybrid.cpp.
#pragma once
#include <boost/json/value.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sieve::test {

struct fake_paper {
    std::string id, title, abstract;
};

struct fake_llm_request {
    std::string target;
    std::string authorization;      // the Authorization header as received
    boost::json::value body;        // the parsed request body (null when not JSON)
    std::vector<fake_paper> papers; // the papers of the prompt (see connector/llm/llm_prompt.hpp)
};

struct fake_llm_reply {
    unsigned status = 200;
    std::string body;
    std::map<std::string, std::string> headers;
    std::chrono::milliseconds delay{0}; // before answering
};

// A certificate and its private key, PEM.
struct tls_identity {
    std::string cert_pem, key_pem;
};

// A fresh self-signed certificate (EC P-256, valid for an hour) for the DNS name `host` and
// the address 127.0.0.1. Throws std::runtime_error when OpenSSL fails.
tls_identity make_self_signed(const std::string& host);

class fake_llm_server {
public:
    // `call` counts requests from 0.
    using handler = std::function<fake_llm_reply(const fake_llm_request&, int call)>;
    // With `tls`, the server speaks HTTPS only, presenting that certificate.
    explicit fake_llm_server(handler h, std::optional<tls_identity> tls = std::nullopt);
    ~fake_llm_server(); // stops accepting; delayed answers are cut short
    fake_llm_server(const fake_llm_server&) = delete;
    fake_llm_server& operator=(const fake_llm_server&) = delete;

    unsigned short port() const { return port_; }
    // http://127.0.0.1:<port>/v1, or https://localhost:<port>/v1 with TLS
    std::string url() const;
    int calls() const { return calls_; }
    std::vector<fake_llm_request> requests() const;

    struct state;

private:
    std::shared_ptr<state> state_;
    unsigned short port_ = 0;
    std::atomic<int>& calls_;
};

// A chat-completions response whose message content is `content`.
std::string chat_response(const std::string& content, int prompt_tokens = 1000,
                          int completion_tokens = 200);

// A reply answering every paper of `r` (or those `keep` accepts) with `verdict` and `topic`,
// quoting the first two words of its title.
std::string answer_papers(const fake_llm_request& r, const std::string& verdict = "relevant",
                          const std::string& topic = "Model Architecture",
                          const std::function<bool(const fake_paper&)>& keep = {});

} // namespace sieve::test
