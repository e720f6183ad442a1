// Hybrid LLM judging over a labelled JSONL file against a local stand-in LLM server that takes
// a fixed time per request (tests/support/fake_llm_server.cpp). Every paper is judged locally
// and submitted at once (as /v1/classify does); reports how many went to the LLM, the latency of
// the local judgment + submission per paper, and how long the LLM judgments took to arrive.
// usage: bench_llm_hybrid FILE.jsonl [threshold (default: llm_options)] [seconds per request (2)]
//        [concurrency (default: llm_options)]
#include "classifier/classifier.hpp"
#include "classifier/embedded.hpp"
#include "connector/cli/corpus_io.hpp"
#include "connector/llm/llm_judge.hpp"
#include "tests/support/fake_llm_server.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
    if (argc < 2 || argc > 5) {
        std::fprintf(stderr,
                     "usage: bench_llm_hybrid FILE.jsonl [threshold] [seconds] [concurrency]\n");
        return 2;
    }
    using clock = std::chrono::steady_clock;
    auto data = sieve::read_labelled(argv[1]);
    if (!data) {
        std::fprintf(stderr, "%s\n", data.error().c_str());
        return 1;
    }
    double delay = argc > 3 ? std::atof(argv[3]) : 2.0;
    sieve::test::fake_llm_server server([delay](const sieve::test::fake_llm_request& r, int) {
        return sieve::test::fake_llm_reply{
            200,
            sieve::test::chat_response(sieve::test::answer_papers(r)),
            {},
            std::chrono::milliseconds(std::int64_t(delay * 1000))};
    });
    sieve::llm_options o;
    o.mode = sieve::llm_mode::hybrid;
    o.url = server.url();
    o.model = "bench-model";
    if (argc > 2)
        o.threshold = std::atof(argv[2]);
    if (argc > 4)
        o.concurrency = unsigned(std::atoi(argv[4]));
    auto clf = sieve::classifier::create_default();
    auto judge = sieve::llm_judge::create(o, nullptr);
    if (!judge) {
        std::fprintf(stderr, "%s\n", judge.error().c_str());
        return 1;
    }
    (*judge)->use_criteria(clf.active_criteria(), std::string(sieve::default_criteria_text()));
    std::vector<double> us;
    std::vector<std::string> keys;
    auto start = clock::now();
    for (const auto& lp : *data) {
        auto t = clock::now();
        auto local = clf.judge(lp.p);
        bool pending = false;
        (*judge)->resolve(lp.p, local, clf, pending);
        us.push_back(std::chrono::duration<double, std::micro>(clock::now() - t).count());
        if (pending)
            keys.push_back((*judge)->key(lp.p, clf));
    }
    double local_s = std::chrono::duration<double>(clock::now() - start).count();
    (*judge)->wait(keys, clock::now() + std::chrono::hours(1));
    double all_s = std::chrono::duration<double>(clock::now() - start).count();
    std::sort(us.begin(), us.end());
    auto at = [&](double q) {
        return us[std::min(us.size() - 1, std::size_t(q * double(us.size())))];
    };
    auto h = (*judge)->health();
    std::printf("papers %zu; threshold %.2f; %.1f s per LLM request; concurrency %u; batch %zu\n",
                data->size(), o.threshold, delay, o.concurrency, o.batch);
    std::printf("sent to the LLM: %zu (%.1f %%)\n", keys.size(),
                100.0 * double(keys.size()) / double(data->size()));
    std::printf("local judgment + submit per paper: p50 %.0f us, p99 %.0f us, max %.0f us; all "
                "local judgments in %.2f s\n",
                at(0.5), at(0.99), us.back(), local_s);
    std::printf("all LLM judgments in %.1f s; requests %s, LLM judgments %s, fallbacks %s\n", all_s,
                boost::json::serialize(h.at("requests")).c_str(),
                boost::json::serialize(h.at("llm_judgments")).c_str(),
                boost::json::serialize(h.at("fallbacks")).c_str());
}
