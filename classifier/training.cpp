#include "classifier/training.hpp"

#include "classifier/features.hpp"
#include "classifier/matcher.hpp"
#include "classifier/stacking.hpp"
#include "classifier/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

namespace sieve {

std::string corpus_topic_name(std::string_view label) {
    if (label == "model_architecture") return "Model Architecture";
    if (label == "compression_efficiency") return "Model Compression and Efficiency";
    if (label == "hpc_training") return "High Performance Computing";
    if (label == "representation_learning") return "Representation Learning";
    if (label == "ml_systems") return "ML Systems";
    return {};
}

const std::vector<std::string>& field_names() {
    static const std::vector<std::string> names = {
        "Computer Vision", "Natural Language", "Robotics and Control", "Signal Processing and Audio",
        "Information Retrieval", "Security", "Software and Programming", "Computing Systems",
        "Society and HCI", "Economics and Finance", "Biology and Medicine", "Physical Sciences",
        "Mathematics and Theory", "Optimization"};
    return names;
}

int arxiv_field(std::string_view cat) {
    auto in = [&](std::initializer_list<std::string_view> l) {
        return std::find(l.begin(), l.end(), cat) != l.end();
    };
    auto starts = [&](std::string_view p) { return cat.substr(0, p.size()) == p; };
    if (in({"cs.CV", "eess.IV", "cs.GR", "cs.MM"})) return 0;
    if (in({"cs.CL"})) return 1;
    if (in({"cs.RO", "eess.SY", "cs.SY"})) return 2;
    if (in({"eess.SP", "eess.AS", "cs.SD"})) return 3;
    if (in({"cs.IR", "cs.DL"})) return 4;
    if (in({"cs.CR"})) return 5;
    if (in({"cs.SE", "cs.PL", "cs.LO", "cs.FL"})) return 6;
    if (in({"cs.DC", "cs.AR", "cs.PF", "cs.OS", "cs.NI", "cs.ET", "cs.DB"})) return 7;
    if (in({"cs.HC", "cs.CY", "cs.SI"})) return 8;
    if (starts("econ.") || starts("q-fin.")) return 9;
    if (starts("q-bio.") || cat == "physics.med-ph") return 10;
    if (starts("physics.") || starts("quant-ph") || starts("cond-mat") || starts("astro-ph") ||
        starts("hep-") || starts("gr-qc") || starts("nucl-") || starts("math-ph"))
        return 11;
    if (cat == "math.OC") return 13;
    if (starts("math.") || in({"stat.TH", "cs.DS", "cs.CC", "cs.IT", "cs.DM", "cs.CG", "cs.GT"}))
        return 12;
    return -1;
}

bool set_training_option(training_config& cfg, std::string_view a) {
    auto eq = a.find('=');
    if (eq == std::string_view::npos) return false;
    std::string name(a.substr(0, eq));
    double v = 0;
    try {
        v = std::stod(std::string(a.substr(eq + 1)));
    } catch (...) {
        return false;
    }
    if (name == "c_relevance") cfg.c_relevance = v;
    else if (name == "c_domain") cfg.c_domain = v;
    else if (name == "c_topic") cfg.c_topic = v;
    else if (name == "relevance_threshold") cfg.relevance_threshold = v;
    else if (name == "application_threshold") cfg.application_threshold = v;
    else if (name == "c_meta") cfg.c_meta = v;
    else if (name == "meta_text_weight") cfg.meta_text_weight = v;
    else if (name == "topic_text_weight") cfg.topic_text_weight = v;
    else if (name == "meta_relevant_threshold") cfg.meta_relevant_threshold = v;
    else if (name == "topic_threshold") cfg.topic_threshold = v;
    else if (name == "hash_bits") cfg.hash_bits = unsigned(v);
    else if (name == "prune") cfg.prune = v;
    else if (name == "prune_meta") cfg.prune_meta = v;
    else if (name == "min_df") cfg.min_df = v;
    else if (name == "idf") cfg.idf = v != 0;
    else if (name == "fields") cfg.fields = v != 0;
    else if (name == "wild_copies") cfg.wild_copies = int(v);
    else if (name == "c_field") cfg.c_field = v;
    else if (name == "field_balance") cfg.field_balance = v;
    else if (name == "c_reason_field") cfg.c_reason_field = v;
    else if (name == "reason_field_balance") cfg.reason_field_balance = v;
    else if (name == "prune_reason_field") cfg.prune_reason_field = v;
    else if (name == "ml_threshold") cfg.ml_threshold = v;
    else if (name == "c_meta_topic") cfg.c_meta_topic = v;
    else if (name == "topic_positive_weight") cfg.topic_positive_weight = v;
    else if (name == "l1") cfg.l1 = v != 0;
    else if (name == "relevance_only") cfg.relevance_only = v != 0;
    else return false;
    return true;
}

std::vector<sparse_vector> featurize(const std::vector<labelled_paper>& data, const criteria& c,
                                     unsigned hash_bits) {
    criteria_matcher m(c);
    std::vector<sparse_vector> x(data.size());
    auto work = [&](std::size_t from, std::size_t step) {
        for (std::size_t i = from; i < data.size(); i += step)
            x[i] = make_features(analyse(data[i].p, m), c, hash_bits);
    };
    std::thread other(work, 1, 2);
    work(0, 2);
    other.join();
    return x;
}

namespace {

struct head_data {
    std::vector<const sparse_vector*> xs;
    std::vector<int> ys;
    std::vector<int> copies;
    void add(const sparse_vector& x, int y, int n = 1) {
        xs.push_back(&x);
        ys.push_back(y);
        copies.push_back(n);
    }
};

bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

// `scale` (when not empty): the features were multiplied by scale[index]; the head's weights are
// too, so that it reads unscaled features.
void fit(model& m, std::string name, const head_data& h, double cost, double threshold,
         const training_config& cfg, const std::vector<float>& scale = {},
         double positive_weight = 1.0) {
    train_options opt;
    opt.c = cost;
    opt.positive_weight = positive_weight;
    opt.l1 = cfg.l1;
    linear_head head = train_head(std::move(name), h.xs, h.ys, h.copies, opt, m.hash_bits);
    head.threshold = threshold;
    for (std::size_t i = 0; i < scale.size(); ++i) head.weights[i] *= scale[i];
    for (auto& w : head.weights) // small weights barely move a score but dominate the file
        if (std::abs(w) < (head.name.rfind("meta:", 0) == 0 ? cfg.prune_meta : cfg.prune))
            w = 0.0f;
    m.heads.push_back(std::move(head));
}

// Smoothed inverse document frequency of every text feature over xs, as scikit-learn's
// (log((1 + n) / (1 + df)) + 1); 1 for the meta slots (indexes below 64).
// Features in fewer than min_df papers get 0 (left out: they would only fit single papers).
std::vector<float> text_idf(const std::vector<sparse_vector>& xs, unsigned bits, double min_df) {
    std::vector<float> df(std::size_t{1} << bits, 0.0f);
    for (const auto& x : xs)
        for (auto i : x.index) df[i] += 1;
    const double n = double(xs.size());
    for (std::size_t i = 0; i < df.size(); ++i)
        df[i] = i < 64           ? 1.0f
                : df[i] < min_df ? 0.0f
                                 : float(std::log((1 + n) / (1 + df[i])) + 1);
    return df;
}

void scale_text(sparse_vector& x, const std::vector<float>& scale) {
    if (scale.empty()) return;
    for (std::size_t k = 0; k < x.index.size(); ++k) x.value[k] *= scale[x.index[k]];
}

} // namespace

bool application_field(const std::vector<std::string>& categories) {
    static const std::vector<std::string> core = {
        "cs.LG", "cs.AI", "stat.ML", "cs.NE", "cs.CL", "cs.DC", "cs.AR", "cs.PF", "cs.MS",
        "math.OC", "math.ST", "stat.TH", "cs.IT", "math.IT", "cs.DS", "cs.CC", "cs.LO", "cs.PL",
        "cs.SE", "cs.CR", "cs.GT", "cs.MA", "math.PR", "cs.FL", "cs.NA", "math.NA", "cs.SC",
        "cs.ET", "cs.OS", "cs.NI", "cs.DB", "stat.CO", "stat.ME", "math.DS", "cs.SY", "eess.SY"};
    return std::any_of(categories.begin(), categories.end(),
                       [](const std::string& c) { return !has(core, c); });
}

model train_text_heads(const std::vector<labelled_paper>& d, const std::vector<sparse_vector>& x,
                       const std::vector<std::size_t>& use, const criteria& c,
                       const training_config& cfg) {
    model m;
    m.hash_bits = cfg.hash_bits;
    head_data rel, dom;
    std::vector<head_data> topic(c.topics.size()), field(cfg.fields ? field_names().size() : 0);
    for (auto i : use) {
        if (d[i].seed_exact_file || d[i].relevant < 0) continue;
        rel.add(x[i], d[i].relevant);
        if (!d[i].categories.empty()) dom.add(x[i], application_field(d[i].categories));
        if (!d[i].categories.empty())
            for (std::size_t f = 0; f < field.size(); ++f)
                field[f].add(x[i], std::any_of(d[i].categories.begin(), d[i].categories.end(),
                                               [f](const std::string& k) {
                                                   return arxiv_field(k) == int(f);
                                               }));
        if (!d[i].topics_known) continue;
        for (std::size_t t = 0; t < c.topics.size(); ++t)
            topic[t].add(x[i], has(d[i].topics, c.topics[t].name));
    }
    fit(m, "relevance", rel, cfg.c_relevance, cfg.relevance_threshold, cfg);
    if (cfg.relevance_only) return m;
    fit(m, "domain", dom, cfg.c_domain, 0.5, cfg);
    for (std::size_t f = 0; f < field.size(); ++f)
        fit(m, "field:" + field_names()[f], field[f], cfg.c_field, 0.5, cfg);
    for (std::size_t t = 0; t < c.topics.size(); ++t)
        fit(m, "topic:" + c.topics[t].name, topic[t], cfg.c_topic, cfg.topic_threshold, cfg);
    return m;
}

void train_meta_heads(model& m, const std::vector<labelled_paper>& d,
                      const std::vector<std::size_t>& use, const criteria& c,
                      const training_config& cfg) {
    criteria_matcher matcher(c);
    std::vector<sparse_vector> verdict_x, topic_x; // kept alive for the head_data pointers
    std::vector<std::size_t> gold;
    for (auto i : use)
        if (d[i].gold) gold.push_back(i);
    if (gold.empty()) return;
    verdict_x.reserve(gold.size());
    topic_x.reserve(gold.size() * c.topics.size());
    head_data rel, app, ml;
    std::vector<head_data> topic(c.topics.size());
    const text_scorer score_text(m, c);
    std::vector<analysed_paper> as;
    std::vector<sparse_vector> xs;
    for (auto i : gold) {
        as.push_back(analyse(d[i].p, matcher));
        xs.push_back(make_features(as.back(), c, m.hash_bits));
    }
    const std::vector<float> idf = cfg.idf ? text_idf(xs, m.hash_bits, cfg.min_df) : std::vector<float>{};
    for (std::size_t g = 0; g < gold.size(); ++g) {
        const auto i = gold[g];
        const analysed_paper& a = as[g];
        sparse_vector x = xs[g];
        text_scores s = score_text(x);
        scale_text(x, idf);
        verdict_x.push_back(verdict_meta_features(s, a, c, x, float(cfg.meta_text_weight)));
        // Papers from outside the ML listings stand for the many such items of real libraries.
        const int n = d[i].stratum == "wild" ? cfg.wild_copies : 1;
        rel.add(verdict_x.back(), *d[i].gold == verdict::relevant, n);
        if (*d[i].gold != verdict::relevant)
            app.add(verdict_x.back(), *d[i].gold == verdict::application, n);
        // Machine learning at all: every paper of the ML listings (cs.LG / cs.AI / stat.ML), and
        // outside them ("wild") the papers the judges call relevant or application.
        ml.add(verdict_x.back(), d[i].stratum != "wild" || *d[i].gold != verdict::irrelevant, n);
        for (std::size_t t = 0; t < c.topics.size(); ++t) {
            topic_x.push_back(
                topic_meta_features(s, t, a, c, x, float(cfg.topic_text_weight)));
            topic[t].add(topic_x.back(), has(d[i].topics, c.topics[t].name));
        }
    }
    m.params.emplace_back("meta_text_weight", cfg.meta_text_weight);
    m.params.emplace_back("topic_text_weight", cfg.topic_text_weight);
    fit(m, "meta:relevant", rel, cfg.c_meta, cfg.meta_relevant_threshold, cfg, idf);
    fit(m, "meta:application", app, cfg.c_meta, cfg.application_threshold, cfg, idf);
    if (cfg.ml_threshold > 0) fit(m, "meta:ml", ml, cfg.c_meta, cfg.ml_threshold, cfg, idf);
    for (std::size_t t = 0; t < c.topics.size(); ++t)
        fit(m, "meta:topic:" + c.topics[t].name, topic[t],
            cfg.c_meta_topic > 0 ? cfg.c_meta_topic : cfg.c_meta, cfg.topic_threshold, cfg, idf,
            cfg.topic_positive_weight);
}

model train_model(const std::vector<labelled_paper>& data, const std::vector<sparse_vector>& x,
                  const std::vector<std::size_t>& use, const criteria& c,
                  const training_config& cfg) {
    model m = train_text_heads(data, x, use, c, cfg);
    if (!cfg.relevance_only) train_meta_heads(m, data, use, c, cfg);
    return m;
}

} // namespace sieve
