// HTTP(S) client for an OpenAI-compatible chat-completions endpoint (Ollama, LM Studio,
// llama.cpp's server, vLLM, hosted APIs), on Boost.Beast; TLS through OpenSSL with the system's
// certificate store, peer and host name verified. One request per connection. Every attempt has
// a deadline (connect + TLS + write + read); 429, 5xx and transport failures are retried with
// back-off, honouring Retry-After (seconds). The API key is sent as a bearer token and never
// appears in an error message. Thread-safe: any number of threads may post at once.
#pragma once
#include <boost/system/result.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sieve {

struct llm_endpoint {
    bool tls = false;
    std::string host; // without brackets for IPv6 literals
    std::string port; // "80" / "443" by default
    std::string path; // base path without a trailing slash, e.g. "/v1"
};

// Parses http://host[:port][/path] or https://... ; user info, query and fragment are refused.
// Errors (one line) never repeat the URL's text beyond the scheme.
boost::system::result<llm_endpoint, std::string> parse_llm_url(std::string_view url);

struct chat_reply {
    std::string content;            // choices[0].message.content
    std::int64_t prompt_tokens = 0; // usage, or estimated from the bytes when absent
    std::int64_t completion_tokens = 0;
};

struct chat_error {
    unsigned status = 0; // HTTP status; 0: transport failure or timeout
    std::string message; // one line, without the key
    std::optional<std::chrono::seconds> retry_after;
    bool retryable() const { return status == 0 || status == 429 || status >= 500; }
};

struct llm_client_options {
    std::chrono::milliseconds timeout{60000}; // per attempt
    int max_attempts = 3;
    std::chrono::seconds max_backoff{60}; // Retry-After values are capped to this
};

class llm_client {
public:
    llm_client(llm_endpoint endpoint, std::string api_key, llm_client_options options);
    ~llm_client();
    llm_client(const llm_client&) = delete;
    llm_client& operator=(const llm_client&) = delete;

    // One POST <path>/chat/completions with `body`, no retry; abandoned (a transport error)
    // within 0.1 s of `stop` becoming true.
    boost::system::result<chat_reply, chat_error>
    post_once(const std::string& body, const std::atomic<bool>* stop = nullptr) const;

    // post_once, retried while retryable and attempts remain: waits Retry-After (capped), else
    // 1 s, 2 s, 4 s ... Waits end early when `stop` becomes true (the last error is returned).
    boost::system::result<chat_reply, chat_error> post(const std::string& body,
                                                       const std::atomic<bool>& stop) const;

    const llm_endpoint& endpoint() const { return endpoint_; }

private:
    struct tls_state;
    llm_endpoint endpoint_;
    std::string api_key_;
    llm_client_options options_;
    std::unique_ptr<tls_state> tls_;
};

// Reads a chat-completions response body. Errors: not JSON, no choices[0].message.content.
boost::system::result<chat_reply, std::string> parse_chat_response(std::string_view body);

} // namespace sieve
