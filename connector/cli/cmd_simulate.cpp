// sieve eval --simulate-user NAME: replays a simulated user correcting Sieve on the agreed
// seed-exact papers of --input (classifier/personal_simulation.hpp; docs/benchmarks.md).
#include "classifier/classifier.hpp"
#include "classifier/cross_validation.hpp"
#include "classifier/embedded.hpp"
#include "classifier/model.hpp"
#include "classifier/personal_simulation.hpp"
#include "connector/cli/cmd_simulate.hpp"
#include "connector/cli/corpus_io.hpp"

#include <boost/json.hpp>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <cstdlib>
#include <iostream>
#include <regex>
#include <thread>
#include <unordered_map>

namespace sieve::cli {

namespace po = boost::program_options;

namespace {

struct judged_paper {
    labelled_paper lp;
    std::vector<std::string> reasons; // the judges' reasons (never printed)
    std::size_t position = 0;         // among every line of the inputs (its --cv fold)
};

boost::system::result<std::vector<judged_paper>, std::string>
read_judged(const std::vector<std::string>& paths) {
    std::vector<judged_paper> out;
    std::size_t position = 0;
    for (const auto& path : paths) {
        auto lps = read_labelled(path);
        if (!lps) return lps.error();
        auto raw = read_jsonl(path); // the same lines in the same order
        if (!raw) return raw.error();
        for (std::size_t i = 0; i < lps->size(); ++i) {
            judged_paper j{std::move((*lps)[i]), {}, position++};
            boost::system::error_code ec;
            auto v = boost::json::parse(raw->lines[i], ec);
            if (!ec && v.is_object())
                if (const auto* r = v.as_object().if_contains("reasons"); r && r->is_array())
                    for (const auto& s : r->as_array())
                        if (s.is_string()) j.reasons.emplace_back(s.as_string());
            if (j.lp.gold) out.push_back(std::move(j));
        }
    }
    return out;
}

bool mentions_rl(const std::string& s) {
    static const std::regex upper_rl("\\bRL\\b");
    static const std::regex words("reinforcement learning", std::regex::icase);
    return std::regex_search(s, words) || std::regex_search(s, upper_rl);
}

// The user's verdict (user: one of the three).
std::optional<verdict> wants(const std::string& user, const judged_paper& j) {
    const verdict g = *j.lp.gold;
    if (user == "judges") return g;
    if (user == "no-representation")
        return j.lp.topics.size() == 1 && j.lp.topics[0] == "Representation Learning"
                   ? verdict::irrelevant : g;
    if (user == "rl-too") {
        bool both = g == verdict::irrelevant && j.reasons.size() == 2;
        for (const auto& r : j.reasons) both = both && mentions_rl(r);
        return both ? verdict::relevant : g;
    }
    return std::nullopt;
}

std::vector<personal_input> inspect_all(const classifier& cl, const std::vector<judged_paper>& d,
                                        const personal_options& o) {
    std::vector<personal_input> out(d.size());
    auto work = [&](std::size_t from) {
        for (std::size_t k = from; k < d.size(); k += 2) out[k] = cl.inspect(d[k].lp.p, o);
    };
    std::thread t(work, 1);
    work(0);
    t.join();
    return out;
}

// Each paper read by the model of its cross-validation fold (the seed-exact heads trained
// without it), as `sieve eval --cv k --train` judges it.
boost::system::result<std::vector<personal_input>, std::string>
inspect_cross_validated(const po::variables_map& vm, const criteria& crit,
                        const std::vector<judged_paper>& d, const personal_options& o) {
    const int k = vm.count("cv") ? std::max(2, vm["cv"].as<int>()) : 5;
    auto files = vm["train"].as<std::vector<std::string>>();
    for (const auto& f : vm["input"].as<std::vector<std::string>>()) files.push_back(f);
    auto data = read_training_set(files);
    if (!data) return data.error();
    std::unordered_map<std::string, std::size_t> judged; // id -> index in d
    for (std::size_t j = 0; j < d.size(); ++j) judged[d[j].lp.p.id] = j;
    std::vector<int> fold(data->size(), -1);
    std::vector<std::size_t> slot(data->size(), 0);
    for (std::size_t i = 0; i < data->size(); ++i)
        if (auto it = judged.find((*data)[i].p.id); it != judged.end()) {
            fold[i] = int(d[it->second].position % std::size_t(k));
            slot[i] = it->second;
            (*data)[i].stratum = d[it->second].lp.stratum;
        }
    training_config cfg;
    std::vector<personal_input> out(d.size());
    for_each_fold_model(*data, featurize(*data, crit, cfg.hash_bits), fold, k, crit, cfg,
                        [&](const model& m, const std::vector<std::size_t>& held) {
                            const auto cl = classifier::from_parts(crit, m);
                            auto work = [&](std::size_t from) {
                                for (std::size_t h = from; h < held.size(); h += 2)
                                    out[slot[held[h]]] = cl.inspect((*data)[held[h]].p, o);
                            };
                            std::thread t(work, 1);
                            work(0);
                            t.join();
                        });
    return out;
}

// --inputs-cache FILE: what the layer reads of every paper (unit scales), kept between runs so
// that a grid over the layer's options does not train the fold models again. Binary, this
// machine's layout; a file of another layout or paper count is ignored and rewritten.
constexpr std::uint64_t inputs_magic = 0x7369657665703032ULL; // this layout, with paper keys

bool load_inputs(const std::string& path, std::size_t n, std::vector<personal_input>& out) {
    std::ifstream f(path, std::ios::binary);
    std::uint64_t magic = 0;
    std::size_t count = 0;
    if (!f.read(reinterpret_cast<char*>(&magic), sizeof magic) || magic != inputs_magic ||
        !f.read(reinterpret_cast<char*>(&count), sizeof count) || count != n)
        return false;
    out.assign(n, {});
    for (auto& in : out) {
        std::size_t nnz = 0;
        f.read(reinterpret_cast<char*>(&in.relevant_margin), sizeof(double));
        f.read(reinterpret_cast<char*>(&in.application_margin), sizeof(double));
        f.read(reinterpret_cast<char*>(&in.forced_irrelevant), sizeof(bool));
        f.read(reinterpret_cast<char*>(&in.shipped), sizeof(verdict));
        f.read(reinterpret_cast<char*>(&in.paper_key), sizeof in.paper_key);
        f.read(reinterpret_cast<char*>(&nnz), sizeof nnz);
        in.z.index.resize(nnz);
        in.z.value.resize(nnz);
        f.read(reinterpret_cast<char*>(in.z.index.data()), std::streamsize(nnz * 4));
        f.read(reinterpret_cast<char*>(in.z.value.data()), std::streamsize(nnz * 4));
    }
    return bool(f);
}

void save_inputs(const std::string& path, const std::vector<personal_input>& in) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    const std::size_t count = in.size();
    f.write(reinterpret_cast<const char*>(&inputs_magic), sizeof inputs_magic);
    f.write(reinterpret_cast<const char*>(&count), sizeof count);
    for (const auto& x : in) {
        const std::size_t nnz = x.z.index.size();
        f.write(reinterpret_cast<const char*>(&x.relevant_margin), sizeof(double));
        f.write(reinterpret_cast<const char*>(&x.application_margin), sizeof(double));
        f.write(reinterpret_cast<const char*>(&x.forced_irrelevant), sizeof(bool));
        f.write(reinterpret_cast<const char*>(&x.shipped), sizeof(verdict));
        f.write(reinterpret_cast<const char*>(&x.paper_key), sizeof x.paper_key);
        f.write(reinterpret_cast<const char*>(&nnz), sizeof nnz);
        f.write(reinterpret_cast<const char*>(x.z.index.data()), std::streamsize(nnz * 4));
        f.write(reinterpret_cast<const char*>(x.z.value.data()), std::streamsize(nnz * 4));
    }
}

// A grid point: the layer's options and how many anchors (papers labelled by the shipped model,
// learned with the corrections at anchor_weight each).
struct sim_options {
    personal_options o;
    double anchors = 0, anchor_weight = 0.1;
};

// "name=v1,v2,..." for each option: every combination (one when none is given).
bool grid_options(const std::vector<std::string>& kvs, std::vector<sim_options>& out) {
    out = {sim_options{}};
    for (const auto& kv : kvs) {
        auto eq = kv.find('=');
        if (eq == std::string::npos) return false;
        const std::string k = kv.substr(0, eq);
        std::vector<sim_options> next;
        std::size_t p = eq + 1;
        while (p <= kv.size()) {
            auto comma = std::min(kv.find(',', p), kv.size());
            char* end = nullptr;
            const std::string part = kv.substr(p, comma - p);
            const double v = std::strtod(part.c_str(), &end);
            if (part.empty() || !end || *end || v < 0) return false;
            for (sim_options g : out) {
                if (k == "lambda" && v > 0) g.o.lambda = v;
                else if (k == "l1") g.o.l1 = v;
                else if (k == "passes" && v >= 1) g.o.passes = int(v);
                else if (k == "text_scale") g.o.text_scale = float(v);
                else if (k == "topic_scale") g.o.topic_scale = float(v);
                else if (k == "phrase_scale") g.o.phrase_scale = float(v);
                else if (k == "shipped_copy") g.o.shipped_copy = float(v);
                else if (k == "bias") g.o.bias = float(v);
                else if (k == "idf") g.o.idf = v > 0;
                else if (k == "margin_cost") g.o.margin_cost = v;
                else if (k == "anchors") g.anchors = v;
                else if (k == "anchor_weight") g.anchor_weight = v;
                else return false;
                next.push_back(g);
            }
            p = comma + 1;
        }
        out = std::move(next);
    }
    return true;
}

// Inputs read with scales 1 rescaled to o's (the topic, phrase and constant features by index).
std::vector<personal_input> rescaled(const std::vector<personal_input>& unit, const criteria& c,
                                     const personal_options& o) {
    const unsigned bits = training_config{}.hash_bits;
    std::unordered_map<std::uint32_t, float> scale; // every feature not named here: text_scale
    const float copy = o.shipped_copy;
    for (auto v : {verdict::relevant, verdict::application, verdict::irrelevant}) {
        for (const auto& l : c.lines)
            for (const auto& ph : l.phrases)
                scale[personal_phrase_index(ph, bits, v)] = o.phrase_scale * copy;
        for (const auto& t : c.topics)
            scale[personal_topic_index(t.name, bits, v)] = o.topic_scale * copy;
    }
    for (const auto& l : c.lines)
        for (const auto& ph : l.phrases) scale[personal_phrase_index(ph, bits)] = o.phrase_scale;
    for (const auto& t : c.topics) scale[personal_topic_index(t.name, bits)] = o.topic_scale;
    scale[feature_index("p:bias", "", bits)] = o.bias;
    auto out = unit;
    for (auto& in : out)
        for (std::size_t k = 0; k < in.z.index.size(); ++k) {
            auto it = scale.find(in.z.index[k]);
            in.z.value[k] *= it != scale.end() ? it->second : o.text_scale;
        }
    return out;
}

// Every (n / count)-th paper of a fixed shuffle, labelled by the shipped model.
std::vector<personal_example> anchors_of(const std::vector<personal_input>& in, const sim_options& g) {
    std::vector<personal_example> out;
    const std::size_t n = std::min(in.size(), std::size_t(g.anchors));
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = (k * 2654435761ULL) % in.size();
        out.push_back({in[i], in[i].shipped, g.anchor_weight, true});
    }
    return out;
}

void print_point(int seed, const simulation_point& p) {
    std::printf("  %4d %3zu (%3zu) %9zu %6zu %7zu | %.4f (%.4f) | %.4f (%.4f) %+6.1f | %.4f (%.4f) "
                "%+5.2f\n", seed, p.corrections, p.shifted_corrections, p.seen, p.unseen,
                p.unseen_shifted, p.all, p.shipped_all, p.shifted, p.shipped_shifted,
                100 * (p.shifted - p.shipped_shifted), p.unshifted, p.shipped_unshifted,
                100 * (p.unshifted - p.shipped_unshifted));
}

void print_user(const std::string& user, const simulated_user& u, int seeds,
                const personal_options& o, bool per_seed) {
    const std::vector<std::size_t> checkpoints{0, 10, 25, 50, 100};
    std::size_t shifted = 0;
    for (bool s : u.shifted) shifted += s;
    std::printf("user %s: %zu papers, %zu shifted (%.1f %%)\n", user.c_str(), u.in.size(), shifted,
                100.0 * double(shifted) / double(u.in.size()));
    if (per_seed)
        std::printf("  seed   N (shifted)  seen unseen shifted | all (shipped) | shifted (shipped)"
                    " gain | unshifted (shipped) drop\n");
    std::vector<simulation_point> sum(checkpoints.size());
    std::vector<int> runs(checkpoints.size(), 0); // shuffles with unseen papers left
    for (int s = 1; s <= seeds; ++s) {
        auto pts = simulate_user(u, checkpoints, std::uint64_t(s), o);
        for (std::size_t c = 0; c < pts.size(); ++c) {
            const auto& p = pts[c];
            if (per_seed) print_point(s, p);
            if (p.unseen == 0) continue; // the stream ran out before this many corrections
            auto& m = sum[c];
            ++runs[c];
            m.shifted_corrections += p.shifted_corrections;
            m.kept += p.kept;
            m.all += p.all; m.shipped_all += p.shipped_all;
            m.shifted += p.shifted; m.shipped_shifted += p.shipped_shifted;
            m.unshifted += p.unshifted; m.shipped_unshifted += p.shipped_unshifted;
        }
    }
    for (std::size_t c = 0; c < checkpoints.size(); ++c) {
        const double k = runs[c];
        const auto& m = sum[c];
        if (k == 0) {
            std::printf("  mean N=%3zu: the stream ran out first in every shuffle\n", checkpoints[c]);
            continue;
        }
        std::printf("  mean N=%3zu (%.1f of them shifted; %d shuffles): all %.4f (shipped %.4f, "
                    "%+.2f points) shifted %.4f (shipped %.4f, %+.1f points) unshifted %.4f "
                    "(shipped %.4f, %+.2f points); corrections kept %.3f\n", checkpoints[c],
                    double(m.shifted_corrections) / k, runs[c], m.all / k, m.shipped_all / k,
                    100 * (m.all - m.shipped_all) / k, m.shifted / k, m.shipped_shifted / k,
                    100 * (m.shifted - m.shipped_shifted) / k, m.unshifted / k,
                    m.shipped_unshifted / k, 100 * (m.unshifted - m.shipped_unshifted) / k,
                    m.kept / k);
    }
}

// What the layer reads of every paper, at unit scales: from --inputs-cache, else read by the
// cross-validation fold models (--train) or by the embedded model. Returns which.
boost::system::result<std::string, std::string>
read_inputs(const po::variables_map& vm, const criteria& crit, const std::vector<judged_paper>& d,
            std::vector<personal_input>& out) {
    personal_options o; // the unit scales (and a constant feature); rescaled per grid point
    o.text_scale = o.topic_scale = o.phrase_scale = o.shipped_copy = o.bias = 1.0f;
    const std::string cache = vm.count("inputs-cache") ? vm["inputs-cache"].as<std::string>() : "";
    using result = boost::system::result<std::string, std::string>;
    if (!cache.empty() && load_inputs(cache, d.size(), out))
        return result(boost::system::in_place_value, "cached in " + cache);
    std::string shipped;
    if (vm.count("train")) {
        auto in = inspect_cross_validated(vm, crit, d, o);
        if (!in) return result(boost::system::in_place_error, in.error());
        out = std::move(*in);
        shipped = "cross-validated (" + std::to_string(vm.count("cv") ? vm["cv"].as<int>() : 5) +
                  " folds by input position)";
    } else {
        const auto cl = classifier::from_parts(crit, *parse_model(embedded_model_text()));
        out = inspect_all(cl, d, o);
        shipped = "embedded " + cl.model_version() + " (trained on these papers)";
    }
    if (!cache.empty()) save_inputs(cache, out);
    return result(boost::system::in_place_value, shipped);
}

} // namespace

int run_simulate_user(const po::variables_map& vm, const criteria& crit) {
    const std::string which = vm["simulate-user"].as<std::string>();
    std::vector<std::string> users{"judges", "no-representation", "rl-too"};
    if (which != "all") users = {which};
    std::vector<sim_options> grid;
    if (!grid_options(vm.count("personal") ? vm["personal"].as<std::vector<std::string>>()
                                           : std::vector<std::string>{}, grid)) {
        std::cerr << "sieve eval: --personal wants name=value[,value...] with names lambda, l1, "
                     "passes, text_scale, topic_scale, phrase_scale, shipped_copy, bias, idf, margin_cost, anchors, "
                     "anchor_weight\n";
        return usage;
    }
    for (const auto& user : users)
        if (user != "judges" && user != "no-representation" && user != "rl-too") {
            std::cerr << "sieve eval: --simulate-user wants judges, no-representation, rl-too or "
                         "all, not '" << user << "'\n";
            return usage;
        }
    auto d = read_judged(vm["input"].as<std::vector<std::string>>());
    if (!d) { std::cerr << "sieve eval: " << d.error() << '\n'; return usage; }
    const int seeds = vm.count("seeds") ? std::max(1, vm["seeds"].as<int>()) : 5;
    simulated_user u;
    auto shipped = read_inputs(vm, crit, *d, u.in);
    if (!shipped) { std::cerr << "sieve eval: " << shipped.error() << '\n'; return usage; }
    const auto unit = std::move(u.in);
    std::printf("model %s; %zu agreed papers, %d shuffles\n", shipped->c_str(), d->size(), seeds);
    for (const auto& g : grid) {
        std::printf("personal layer lambda %g, l1 %g, text_scale %g, topic_scale %g, "
                    "phrase_scale %g, shipped_copy %g, bias %g, idf %d, margin_cost %g, passes %d, anchors %g (weight %g)\n",
                    g.o.lambda, g.o.l1, double(g.o.text_scale), double(g.o.topic_scale),
                    double(g.o.phrase_scale), double(g.o.shipped_copy), double(g.o.bias),
                    int(g.o.idf), g.o.margin_cost, g.o.passes,
                    g.anchors, g.anchor_weight);
        u.in = rescaled(unit, crit, g.o);
        u.anchors = anchors_of(u.in, g);
        for (const auto& user : users) {
            u.wants.clear();
            u.shifted.clear();
            for (const auto& j : *d) {
                u.wants.push_back(*wants(user, j));
                u.shifted.push_back(u.wants.back() != *j.lp.gold);
            }
            print_user(user, u, seeds, g.o, grid.size() == 1);
        }
    }
    return ok;
}

} // namespace sieve::cli
