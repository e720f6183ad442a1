// sieve eval: accuracy of judgments against labelled JSONL (see docs/benchmarks.md).
#include "classifier/classifier.hpp"
#include "classifier/cross_validation.hpp"
#include "classifier/evaluation.hpp"
#include "classifier/embedded.hpp"
#include "classifier/metrics.hpp"
#include "classifier/model.hpp"
#include "classifier/training.hpp"
#include "connector/cli/cli_options.hpp"
#include "connector/cli/cmd_simulate.hpp"
#include "connector/cli/corpus_io.hpp"
#include "connector/cli/criteria_file.hpp"
#include "connector/llm/llm_setup.hpp"
#include "connector/state/state_store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <boost/json.hpp>
#include <iostream>
#include <map>
#include <thread>
#include <unordered_map>

namespace sieve::cli {

namespace po = boost::program_options;

namespace {

// The judgments of the papers at `which`, on two threads.
std::vector<judgment> judge_all(const classifier& cl, const std::vector<labelled_paper>& d,
                                const std::vector<std::size_t>& which) {
    std::vector<judgment> out(which.size());
    auto work = [&](std::size_t from) {
        for (std::size_t k = from; k < which.size(); k += 2)
            out[k] = cl.judge(d[which[k]].p);
    };
    std::thread t(work, 1);
    work(0);
    t.join();
    return out;
}

std::vector<prediction> predictions(std::vector<judgment> js) {
    std::vector<prediction> out;
    out.reserve(js.size());
    for (auto& j : js)
        out.push_back({j.label, j.relevance, std::move(j.topics)});
    return out;
}

void write_predictions(const std::string& path, const std::vector<labelled_paper>& d,
                       const std::vector<std::size_t>& which, const std::vector<prediction>& pred) {
    std::ofstream out(path, std::ios::trunc);
    for (std::size_t k = 0; k < which.size(); ++k) {
        boost::json::array topics;
        for (const auto& t : pred[k].topics) topics.emplace_back(t);
        out << boost::json::serialize(boost::json::object{
                   {"id", d[which[k]].p.id},
                   {"verdict", to_string(pred[k].label)},
                   {"relevance", pred[k].relevance},
                   {"topics", std::move(topics)}})
            << '\n';
    }
}

void report(const std::vector<labelled_paper>& d, const std::vector<std::size_t>& which,
            const std::vector<prediction>& pred, const criteria& crit,
            const po::variables_map& vm) {
    if (vm.count("predictions"))
        write_predictions(vm["predictions"].as<std::string>(), d, which, pred);
    std::fputs(evaluation_report(d, which, pred, crit).c_str(), stdout);
    if (!vm.count("stratum-weight")) return;
    std::map<std::string, double> w; // "name=weight"; checked in run_eval
    for (const auto& kv : vm["stratum-weight"].as<std::vector<std::string>>())
        w[kv.substr(0, kv.find('='))] = std::stod(kv.substr(kv.find('=') + 1));
    gold_figures g = score_gold(d, which, pred, crit, &w);
    std::printf("weighted by stratum: relevant F1 %.3f (P %.3f R %.3f) 3-way %.3f topic macro F1 "
                "%.3f\n", g.relevant_f1, g.relevant_precision, g.relevant_recall, g.three_way,
                g.topic_macro_f1);
}

// Every --input file's papers in order; a paper without a stratum gets its file's stem.
boost::system::result<std::vector<labelled_paper>, std::string>
read_inputs(const po::variables_map& vm) {
    std::vector<labelled_paper> all;
    for (const auto& path : vm["input"].as<std::vector<std::string>>()) {
        auto part = read_labelled(path);
        if (!part) return part;
        const std::string stem = std::filesystem::path(path).stem().string();
        for (auto& lp : *part) {
            if (lp.stratum.empty()) lp.stratum = stem;
            all.push_back(std::move(lp));
        }
    }
    return all;
}

// The criteria file's text (prompts quote it): --criteria, else the embedded seed.
boost::system::result<std::string, std::string> criteria_text(const po::variables_map& vm) {
    if (!vm.count("criteria"))
        return {boost::system::in_place_value, std::string(default_criteria_text())};
    return read_criteria_file(vm["criteria"].as<std::string>());
}

// The LLM judge the --llm-* flags ask for (null judge in local mode), with its cache in
// <--state-dir>/state.sqlite when that is given. Errors: one line (flags, key, URL, store).
struct llm_session {
    std::unique_ptr<state_store> store; // outlives the judge
    std::unique_ptr<llm_judge> judge;
};
boost::system::result<llm_session, std::string>
start_llm_session(const po::variables_map& vm, const llm_flags& flags, const classifier& cl) {
    std::filesystem::path dir = vm.count("state-dir") ? vm["state-dir"].as<std::string>() : "";
    auto o = llm_options_from(flags, dir);
    if (!o) return o.error();
    llm_session s;
    if (o->mode == llm_mode::local) return s;
    if (!dir.empty()) {
        std::error_code ec;
        if (std::filesystem::create_directories(dir, ec)) // new: private, as sieve serve makes it
            std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
        auto st = state_store::open(dir / "state.sqlite");
        if (!st) return st.error();
        s.store = std::move(*st);
    }
    auto text = criteria_text(vm);
    if (!text) return text.error();
    auto judge = start_llm_judge(*o, s.store.get(), &cl, *text, std::cerr);
    if (!judge) return judge.error();
    s.judge = std::move(*judge);
    return s;
}

// The papers the judge's mode wants go to the LLM; once every answer (or fallback) is in, their
// predictions become the LLM's judgments, whose relevance score (for ROC AUC) is (score - 1) / 9.
void judge_with_llm(llm_judge& judge, const classifier& cl, const std::vector<labelled_paper>& d,
                    const std::vector<judgment>& local, std::vector<prediction>& pred) {
    std::vector<llm_judge::task> tasks;
    std::vector<std::string> keys;
    std::vector<std::size_t> sent;
    for (std::size_t k = 0; k < d.size(); ++k)
        if (judge.wants(local[k])) {
            keys.push_back(judge.key(d[k].p, cl));
            sent.push_back(k);
            tasks.push_back({d[k].p, local[k]});
        }
    judge.submit(std::move(tasks), cl);
    judge.wait(keys, llm_judge::clock::now() + std::chrono::hours(24));
    std::size_t answered = 0;
    for (auto k : sent)
        if (auto j = judge.lookup(d[k].p, cl); j && j->judge == judge.name()) {
            ++answered;
            pred[k] = {j->label, (j->score - 1) / 9.0, std::move(j->topics)};
        }
    std::printf("LLM judge %s: %zu of %zu papers sent, %zu judged by the LLM, %zu kept the local "
                "judgment (fallback)\n", judge.name().c_str(), sent.size(), d.size(), answered,
                sent.size() - answered);
}

int run_plain_eval(const po::variables_map& vm, const criteria& crit, const llm_flags& flags) {
    auto data = read_inputs(vm);
    if (!data) { std::cerr << "sieve eval: " << data.error() << '\n'; return usage; }
    std::string model_text(embedded_model_text());
    if (vm.count("model")) {
        auto t = read_model_file(vm["model"].as<std::string>());
        if (!t) { std::cerr << "sieve eval: " << t.error() << '\n'; return usage; }
        model_text = std::move(*t);
    }
    auto pm = parse_model(model_text);
    if (!pm) { std::cerr << "sieve eval: " << pm.error() << '\n'; return usage; }
    auto cl = classifier::from_parts(crit, std::move(*pm));
    std::vector<std::size_t> all(data->size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    std::printf("model %s, criteria %s\n", cl.model_version().c_str(), crit.version.c_str());
    auto llm = start_llm_session(vm, flags, cl);
    if (!llm) {
        std::cerr << "sieve eval: " << llm.error() << '\n';
        return usage;
    }
    auto local = judge_all(cl, *data, all);
    auto pred = predictions(local);
    if (llm->judge)
        judge_with_llm(*llm->judge, cl, *data, local, pred);
    report(*data, all, pred, crit, vm);
    return ok;
}

// Trains on --train minus the inputs' ids and judges the inputs; with --cv K, folds over the
// inputs (cross_validation.hpp).
int run_trained_eval(const po::variables_map& vm, const criteria& crit,
                     const training_config& cfg) {
    auto input = read_inputs(vm);
    if (!input) { std::cerr << "sieve eval: " << input.error() << '\n'; return usage; }
    std::vector<std::string> files;
    if (vm.count("train")) files = vm["train"].as<std::vector<std::string>>();
    for (const auto& f : vm["input"].as<std::vector<std::string>>()) files.push_back(f);
    auto data = read_training_set(files);
    if (!data) { std::cerr << "sieve eval: " << data.error() << '\n'; return usage; }
    std::unordered_map<std::string, std::pair<int, std::string>> fold_of; // id -> fold, stratum
    const int k = vm.count("cv") ? std::max(2, vm["cv"].as<int>()) : 1;
    for (std::size_t i = 0; i < input->size(); ++i)
        fold_of[(*input)[i].p.id] = {int(i % std::size_t(k)), (*input)[i].stratum};
    std::vector<int> fold(data->size(), -1);
    for (std::size_t i = 0; i < data->size(); ++i)
        if (auto it = fold_of.find((*data)[i].p.id); it != fold_of.end()) {
            fold[i] = it->second.first;
            (*data)[i].stratum = it->second.second;
        }
    cv_predictions cv;
    if (vm.count("peer")) {
        cv = cross_validate_peer(vm["peer"].as<std::string>(), *data, fold, k, crit,
                                 vm["peer-c"].as<double>());
        if (cv.which.empty()) { std::cerr << "sieve eval: unknown --peer\n"; return usage; }
        std::printf("peer %s\n", vm["peer"].as<std::string>().c_str());
    } else {
        cv = cross_validate(*data, featurize(*data, crit, cfg.hash_bits), fold, k, crit, cfg);
    }
    if (k > 1) std::printf("%d-fold cross-validation over %zu papers (trained with %zu others)\n", k,
                input->size(), data->size() - input->size());
    report(*data, cv.which, cv.pred, crit, vm);
    return ok;
}

} // namespace

namespace {

// The options of `sieve eval` other than the LLM judge's.
po::options_description eval_options() {
    po::options_description d("options");
    d.add_options()
        ("input", po::value<std::vector<std::string>>()->required(),
         "labelled JSONL to judge and score (repeatable; each a regular file of at most 1 GiB, "
         "lines of at most 1 MiB)")
        ("model", po::value<std::string>(),
         "model file, at most 64 MiB (default: the embedded model)")
        ("criteria", po::value<std::string>(),
         "criteria file, at most 256 KiB (default: the embedded seed)")
        ("cv", po::value<int>(), "K-fold cross-validation over --input's seed-exact papers")
        ("train", po::value<std::vector<std::string>>(),
         "train a model on these JSONL files (minus --input's ids) instead of loading one")
        ("peer", po::value<std::string>(),
         "with --cv: judge the folds with a plain peer instead (keywords, tfidf)")
        ("peer-c", po::value<double>()->default_value(4.0), "the tfidf peer's liblinear cost")
        ("stratum-weight", po::value<std::vector<std::string>>(),
         "name=weight: also report the figures with each stratum's papers weighted so")
        ("predictions", po::value<std::string>(), "also write each prediction as JSONL here")
        ("set", po::value<std::vector<std::string>>(), "training option name=value (with --train)")
        ("simulate-user", po::value<std::string>(),
         "replay a simulated user's corrections: judges, no-representation, rl-too or all")
        ("seeds", po::value<int>(), "with --simulate-user: shuffles of the stream (default 5)")
        ("personal", po::value<std::vector<std::string>>(),
         "with --simulate-user: personal layer option name=value[,value...] (a grid)")
        ("inputs-cache", po::value<std::string>(),
         "with --simulate-user: keep what the layer reads of each paper in this file")
        ("state-dir", po::value<std::string>(),
         "with --llm-model: cache LLM judgments here (and read <dir>/llm-key)");
    return d;
}

// Each --stratum-weight is name=weight with a weight >= 0; false (after a message) if not.
bool stratum_weights_ok(const po::variables_map& vm) {
    if (vm.count("stratum-weight"))
        for (const auto& kv : vm["stratum-weight"].as<std::vector<std::string>>()) {
            char* end = nullptr;
            auto eq = kv.find('=');
            double v = eq == std::string::npos ? -1 : std::strtod(kv.c_str() + eq + 1, &end);
            if (eq == 0 || v < 0 || !end || *end) {
                std::cerr << "sieve eval: --stratum-weight wants name=weight, not '" << kv << "'\n";
                return false;
            }
        }
    return true;
}

} // namespace

int run_eval(args a) {
    po::options_description d = eval_options();
    llm_flags flags;
    describe_llm_flags(d, flags);
    int exit = ok;
    auto vm = parse_options(a, d, "sieve eval --input FILE.jsonl [--cv K --train FILE...]", exit);
    if (!vm) return exit;
    auto opt = [&](const char* k) { return vm->count(k) ? (*vm)[k].as<std::string>() : ""; };
    auto crit = load_criteria(opt("criteria"));
    if (!crit) { std::cerr << "sieve eval: " << crit.error() << '\n'; return usage; }
    if (!stratum_weights_ok(*vm)) return usage;
    training_config cfg;
    if (vm->count("set"))
        for (const auto& kv : (*vm)["set"].as<std::vector<std::string>>())
            if (!set_training_option(cfg, kv)) {
                std::cerr << "sieve eval: unknown training option '" << kv << "'\n";
                return usage;
            }
    if (vm->count("simulate-user"))
        return run_simulate_user(*vm, *crit);
    if (vm->count("cv") || vm->count("train")) {
        if (!flags.model.empty()) {
            std::cerr << "sieve eval: --llm-model judges with the loaded model, not with --train/--cv\n";
            return usage;
        }
        return run_trained_eval(*vm, *crit, cfg);
    }
    return run_plain_eval(*vm, *crit, flags);
}

} // namespace sieve::cli
