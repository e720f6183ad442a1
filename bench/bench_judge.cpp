// Latency of the judge: model + criteria load time, then one paper at a time on one thread.
// usage: bench_judge FILE.jsonl   (prints load ms and per-paper p50 / p99 / max in microseconds)
#include "classifier/classifier.hpp"
#include "connector/cli/corpus_io.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: bench_judge FILE.jsonl\n");
        return 2;
    }
    using clock = std::chrono::steady_clock;
    auto t0 = clock::now();
    auto cl = sieve::classifier::create_default();
    double load_ms = std::chrono::duration<double, std::milli>(clock::now() - t0).count();
    auto data = sieve::read_labelled(argv[1]);
    if (!data) {
        std::fprintf(stderr, "%s\n", data.error().c_str());
        return 1;
    }
    std::vector<double> us;
    us.reserve(data->size());
    for (const auto& lp : *data) {
        auto s = clock::now();
        auto j = cl.judge(lp.p);
        us.push_back(std::chrono::duration<double, std::micro>(clock::now() - s).count());
        if (j.score < 1) return 1; // keep the result alive
    }
    double first = us.empty() ? 0 : us.front();
    std::sort(us.begin(), us.end());
    auto at = [&](double q) { return us[std::min(us.size() - 1, std::size_t(q * double(us.size())))]; };
    std::printf("load %.1f ms; %zu papers one at a time: p50 %.0f us, p99 %.0f us, max %.0f us "
                "(the first: %.0f us)\n",
                load_ms, us.size(), at(0.5), at(0.99), us.back(), first);
}
