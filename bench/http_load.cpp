// Load generator for `sieve serve` (bench/bench_http.sh): N keep-alive connections to
// 127.0.0.1:<port> sending `POST /v1/classify` with one inline corpus paper per request, at a
// fixed aggregate rate for a fixed duration (open loop: connection c sends its k-th request at
// t0 + (c + k*N)/rate, late when its previous response is late). Latency is measured from the
// scheduled send time, so a stalled server cannot hide its queueing (no coordinated omission).
//
// usage: bench_http_load <port> <token-file> <corpus.jsonl> [connections=200] [rate=1000]
//                        [seconds=30]
// Prints requests, errors (transport failures and non-200 answers), connections held open for the
// whole run, achieved rate and latency percentiles. Exit status 0 when the run completed.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using clock_type = std::chrono::steady_clock;
using tcp = net::ip::tcp;

struct run_config {
    unsigned short port = 0;
    std::string token;
    std::vector<std::string> bodies; // one classify request body per corpus paper
    std::size_t connections = 200;
    double rate = 1000;
    double seconds = 30;
};

struct run_stats {
    std::vector<double> latencies_ms;
    std::size_t errors = 0;
    std::size_t reconnects = 0;
    std::size_t held = 0; // connections that never had to reconnect
    std::string first_error;
};

std::vector<std::string> read_bodies(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty())
            continue;
        const json::value v = json::parse(line);
        const json::object& p = v.as_object();
        json::object item{
            {"id", p.at("id")}, {"title", p.at("title")}, {"abstract", p.at("abstract")}};
        out.push_back(json::serialize(json::object{{"items", json::array{item}}}));
    }
    return out;
}

void note_error(run_stats& s, const std::string& what) {
    ++s.errors;
    if (s.first_error.empty())
        s.first_error = what;
}

// One connection's share of the schedule.
net::awaitable<void> connection(const run_config& cfg, run_stats& stats, std::size_t c,
                                clock_type::time_point t0) {
    auto ex = co_await net::this_coro::executor;
    const auto end = t0 + std::chrono::duration<double>(cfg.seconds);
    const std::chrono::duration<double> period(1.0 / cfg.rate);
    const tcp::endpoint ep(net::ip::make_address_v4("127.0.0.1"), cfg.port);
    beast::tcp_stream stream(ex);
    bool open = false, reconnected = false;
    beast::flat_buffer buf;
    net::steady_timer timer(ex);
    for (std::size_t k = 0;; ++k) {
        const auto due = t0 + std::chrono::duration_cast<clock_type::duration>(
                                  period * static_cast<double>(c + k * cfg.connections));
        if (due >= end)
            break;
        timer.expires_at(due);
        co_await timer.async_wait(net::use_awaitable);
        http::request<http::string_body> req{http::verb::post, "/v1/classify", 11};
        req.set(http::field::host, "127.0.0.1:" + std::to_string(cfg.port));
        req.set(http::field::authorization, "Bearer " + cfg.token);
        req.set(http::field::content_type, "application/json");
        req.body() = cfg.bodies[(c + k * cfg.connections) % cfg.bodies.size()];
        req.prepare_payload();
        try {
            if (!open) {
                reconnected = k > 0;
                stats.reconnects += k > 0 ? 1 : 0;
                stream.expires_after(std::chrono::seconds(10));
                co_await stream.async_connect(ep, net::use_awaitable);
                open = true;
            }
            stream.expires_after(std::chrono::seconds(30));
            co_await http::async_write(stream, req, net::use_awaitable);
            http::response<http::string_body> res;
            co_await http::async_read(stream, buf, res, net::use_awaitable);
            const std::chrono::duration<double, std::milli> lat = clock_type::now() - due;
            stats.latencies_ms.push_back(lat.count());
            if (res.result() != http::status::ok)
                note_error(stats, "status " + std::to_string(res.result_int()) + ": " + res.body());
            if (!res.keep_alive()) {
                stream.close();
                open = false;
            }
        } catch (const boost::system::system_error& e) {
            note_error(stats, e.what());
            beast::error_code ignored;
            stream.socket().close(ignored);
            open = false;
        }
    }
    if (open && !reconnected)
        ++stats.held;
}

double percentile(std::vector<double>& v, double p) {
    if (v.empty())
        return 0;
    auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
    return v[i];
}

void report(const run_config& cfg, run_stats& s, double wall) {
    auto& v = s.latencies_ms;
    const double n = static_cast<double>(v.size());
    std::printf("connections %zu, target rate %.0f/s, duration %.0f s\n", cfg.connections, cfg.rate,
                cfg.seconds);
    std::printf("responses %zu (%.1f/s), errors %zu, reconnects %zu, connections held %zu/%zu\n",
                v.size(), n / wall, s.errors, s.reconnects, s.held, cfg.connections);
    const double p50 = percentile(v, 0.50), p90 = percentile(v, 0.90);
    const double p99 = percentile(v, 0.99), p999 = percentile(v, 0.999);
    const double mx = v.empty() ? 0 : *std::max_element(v.begin(), v.end());
    std::printf("latency ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f\n", p50, p90, p99,
                p999, mx);
    if (!s.first_error.empty())
        std::printf("first error: %s\n", s.first_error.substr(0, 300).c_str());
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::cerr << "usage: bench_http_load <port> <token-file> <corpus.jsonl> [connections] "
                     "[rate] [seconds]\n";
        return 2;
    }
    run_config cfg;
    cfg.port = static_cast<unsigned short>(std::stoi(argv[1]));
    std::ifstream tf(argv[2]);
    std::getline(tf, cfg.token);
    cfg.bodies = read_bodies(argv[3]);
    if (argc > 4)
        cfg.connections = std::stoul(argv[4]);
    if (argc > 5)
        cfg.rate = std::stod(argv[5]);
    if (argc > 6)
        cfg.seconds = std::stod(argv[6]);
    if (cfg.token.empty() || cfg.bodies.empty() || cfg.connections == 0 || !(cfg.rate > 0)) {
        std::cerr << "bench_http_load: no token, no papers, or a zero setting\n";
        return 2;
    }
    net::io_context ioc(1);
    run_stats stats;
    const auto t0 = clock_type::now() + std::chrono::milliseconds(200);
    for (std::size_t c = 0; c < cfg.connections; ++c)
        net::co_spawn(ioc, connection(cfg, stats, c, t0), net::detached);
    ioc.run();
    const std::chrono::duration<double> wall = clock_type::now() - t0;
    report(cfg, stats, wall.count());
    return 0;
}
