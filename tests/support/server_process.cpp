#include "tests/support/server_process.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

#include <array>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <poll.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace sieve::test {

namespace fs = std::filesystem;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using clock_type = std::chrono::steady_clock;

temp_dir::temp_dir() {
    std::string tmpl = (fs::temp_directory_path() / "sieve-test-XXXXXX").string();
    if (!::mkdtemp(tmpl.data()))
        throw std::runtime_error("mkdtemp failed");
    path = tmpl;
}

temp_dir::~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
}

std::string env_or_fail(const char* name) {
    const char* v = std::getenv(name);
    if (!v || !*v)
        throw std::runtime_error(std::string(name) + " is not set (run through ctest)");
    return v;
}

std::string schema_path(const std::string& name) {
    return env_or_fail("SIEVE_SOURCE") + "/schema/api/" + name;
}

server_process::server_process(const fs::path& state_dir, std::vector<std::string> extra) {
    std::vector<std::string> args{env_or_fail("SIEVE_BIN"), "serve", "--port", "0", "--state-dir",
                                  state_dir.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    int fds[2];
    if (::pipe(fds) != 0)
        throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0)
        throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM); // a crashed test leaves no server behind
        ::dup2(fds[1], 1);
        ::dup2(fds[1], 2);
        ::close(fds[0]);
        ::close(fds[1]);
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    out_fd_ = fds[0];
    auto deadline = clock_type::now() + std::chrono::seconds(10);
    const std::string marker = "listening: http://127.0.0.1:";
    while (output.find(marker) == std::string::npos ||
           output.find('\n', output.find(marker)) == std::string::npos) {
        auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now());
        pollfd p{out_fd_, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&p, 1, int(left.count())) <= 0)
            throw std::runtime_error("sieve serve did not report its port: " + output);
        char buf[4096];
        ssize_t n = ::read(out_fd_, buf, sizeof buf);
        if (n <= 0)
            throw std::runtime_error("sieve serve exited early: " + output);
        output.append(buf, std::size_t(n));
    }
    port =
        static_cast<unsigned short>(std::stoi(output.substr(output.find(marker) + marker.size())));
    std::ifstream t(state_dir / "token");
    std::getline(t, token);
}

server_process::~server_process() {
    if (pid_ > 0)
        stop(SIGTERM);
    if (out_fd_ >= 0)
        ::close(out_fd_);
}

int server_process::stop(int sig, std::chrono::milliseconds limit) {
    if (pid_ <= 0)
        return -1;
    ::kill(pid_, sig);
    auto deadline = clock_type::now() + limit;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (clock_type::now() > deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
    char buf[4096];
    pollfd p{out_fd_, POLLIN, 0};
    while (::poll(&p, 1, 0) > 0) {
        ssize_t n = ::read(out_fd_, buf, sizeof buf);
        if (n <= 0)
            break;
        output.append(buf, std::size_t(n));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

boost::json::value http_reply::json() const {
    return boost::json::parse(body);
}

http_reply http_call(unsigned short port, const std::string& token, const std::string& method,
                     const std::string& target, const std::string& body,
                     const std::map<std::string, std::string>& headers) {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(10));
    stream.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    req.set(http::field::authorization, "Bearer " + token);
    for (const auto& [k, v] : headers) {
        if (v.empty())
            req.erase(k);
        else
            req.set(k, v);
    }
    req.body() = body;
    if (!body.empty() || method == "POST")
        req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64u << 20);
    http::read(stream, buffer, parser);
    http_reply reply;
    reply.status = parser.get().result_int();
    for (const auto& f : parser.get()) {
        std::string name(f.name_string());
        for (auto& c : name)
            c = char(std::tolower(static_cast<unsigned char>(c)));
        reply.headers[name] = std::string(f.value());
    }
    reply.body = parser.get().body();
    return reply;
}

int run_command(const std::string& command, std::string& output) {
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    if (!p)
        return -1;
    std::array<char, 4096> buf;
    while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p))
        output.append(buf.data(), n);
    int status = ::pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace sieve::test
