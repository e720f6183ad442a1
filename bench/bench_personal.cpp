// The personal layer in `sieve serve`'s trainer (connector/jobs/personal_trainer.hpp), on a real
// state store: N stored corrections (papers of FILE.jsonl, each given a verdict other than its
// judges' one in turn) are learned at start-up; then one more correction at a time is stored and
// the time until the trainer serves a layer that includes it is measured (the request path only
// stores the row; this is the retraining), and the time until the trainer is idle (the layer's
// 5-fold agreement computed and the layer stored).
// usage: bench_personal FILE.jsonl [stored=1000] [rounds=20]
#include "classifier/classifier.hpp"
#include "connector/cli/corpus_io.hpp"
#include "connector/jobs/personal_trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <unistd.h>

namespace {

using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point t) {
    return std::chrono::duration<double, std::milli>(clock_type::now() - t).count();
}

sieve::feedback_entry correction(const sieve::labelled_paper& lp, std::size_t k) {
    static const char* verdicts[] = {"relevant", "application", "irrelevant"};
    sieve::feedback_entry f;
    f.library_id = 1;
    f.item_key = "K" + std::to_string(k);
    f.verdict = verdicts[k % 3];
    f.title = lp.p.title;
    f.abstract = lp.p.abstract;
    f.topics = lp.topics; // the judges' topics as the user's topic tags: the topic heads learn too
    return f;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_personal FILE.jsonl [stored=1000] [rounds=20]\n");
        return 2;
    }
    const std::size_t stored = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1000;
    const std::size_t rounds = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 20;
    auto data = sieve::read_labelled(argv[1]);
    if (!data || data->size() < stored + rounds) {
        std::fprintf(stderr, "need %zu papers in %s\n", stored + rounds, argv[1]);
        return 1;
    }
    const auto dir = std::filesystem::temp_directory_path() / ("bench-personal-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto store = sieve::state_store::open(dir / "state.sqlite");
    if (!store) { std::fprintf(stderr, "%s\n", store.error().c_str()); return 1; }
    for (std::size_t k = 0; k < stored; ++k) (void)(*store)->add_feedback(correction((*data)[k], k));
    auto clf = std::make_shared<const sieve::classifier>(sieve::classifier::create_default());
    auto t0 = clock_type::now();
    sieve::personal_trainer trainer(**store, [&] { return clf; });
    trainer.wait_idle();
    std::printf("start-up: %zu stored corrections learned (read, analysed, trained, agreement %.3f, "
                "stored) in %.0f ms\n", stored, trainer.current().agreement.value_or(-1), ms_since(t0));
    std::vector<double> served, idle;
    for (std::size_t r = 0; r < rounds; ++r) {
        const std::size_t k = stored + r;
        auto t = clock_type::now();
        (void)(*store)->add_feedback(correction((*data)[k], k));
        trainer.changed();
        while (trainer.layer()->corrections != k + 1) std::this_thread::sleep_for(std::chrono::microseconds(200));
        served.push_back(ms_since(t));
        trainer.wait_idle();
        idle.push_back(ms_since(t));
    }
    std::sort(served.begin(), served.end());
    std::sort(idle.begin(), idle.end());
    std::printf("one more correction (%zu rounds, %zu..%zu stored): layer served after median %.1f ms, "
                "max %.1f ms; trainer idle (agreement + stored) after median %.1f ms, max %.1f ms\n",
                rounds, stored + 1, stored + rounds, served[served.size() / 2], served.back(),
                idle[idle.size() / 2], idle.back());
    std::filesystem::remove_all(dir);
}
