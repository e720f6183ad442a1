#include "classifier/personal.hpp"

#include "classifier/hash.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace sieve {

namespace {

// One head's training problem over the union of the examples' features (local indexes).
struct dual_problem {
    std::vector<std::uint32_t> features;          // local index -> feature index
    std::vector<std::vector<std::uint32_t>> idx;  // per example, local indexes
    std::vector<std::vector<float>> val;
    std::vector<double> offset, cost;
    std::vector<int> y;                           // +1 / -1
};

void add_example(dual_problem& p, const sparse_vector& z, double offset, bool positive,
                 double cost, const personal_options& o) {
    if (o.margin_cost > 0 && (offset >= 0) != positive)
        cost *= std::min(1.0, std::max(0.1, std::fabs(offset) / o.margin_cost));
    p.idx.emplace_back(z.index.begin(), z.index.end()); // global for now, mapped in index()
    p.val.emplace_back(z.value.begin(), z.value.end());
    p.offset.push_back(offset);
    p.cost.push_back(cost);
    p.y.push_back(positive ? 1 : -1);
}

void index_features(dual_problem& p) {
    for (const auto& ix : p.idx) p.features.insert(p.features.end(), ix.begin(), ix.end());
    std::sort(p.features.begin(), p.features.end());
    p.features.erase(std::unique(p.features.begin(), p.features.end()), p.features.end());
    for (auto& ix : p.idx)
        for (auto& i : ix)
            i = std::uint32_t(std::lower_bound(p.features.begin(), p.features.end(), i) -
                              p.features.begin());
}

// The alpha in (0, c) with log((c - a) / a) = b + a q (decreasing in a: safeguarded Newton).
double solve_alpha(double a, double b, double q, double c) {
    double lo = 0, hi = c;
    a = std::clamp(a, c * 1e-9, c * (1 - 1e-9));
    for (int it = 0; it < 30; ++it) {
        const double g = std::log((c - a) / a) - b - a * q;
        if (std::fabs(g) < 1e-10) break;
        (g > 0 ? lo : hi) = a;
        const double next = a - g / (-c / (a * (c - a)) - q);
        a = next > lo && next < hi ? next : 0.5 * (lo + hi);
    }
    return a;
}

// Scales each example's features by idf = log((1 + n) / (1 + df)) + 1 over the n examples; the
// scale is folded into the learned weights afterwards (solve), so the layer reads plain z.
std::vector<double> apply_idf(dual_problem& p) {
    std::vector<double> df(p.features.size(), 0.0);
    for (const auto& ix : p.idx)
        for (auto i : ix) df[i] += 1;
    const double n = double(p.idx.size());
    for (auto& d : df) d = std::log((1 + n) / (1 + d)) + 1;
    for (std::size_t e = 0; e < p.idx.size(); ++e)
        for (std::size_t k = 0; k < p.idx[e].size(); ++k)
            p.val[e][k] = float(p.val[e][k] * df[p.idx[e][k]]);
    return df;
}

// min_w lambda/2 |w|^2 + sum_i cost_i log(1 + exp(-y_i (offset_i + w . z_i))), in the dual.
personal_head solve(dual_problem p, const personal_options& o) {
    index_features(p);
    const std::vector<double> scale =
        o.idf ? apply_idf(p) : std::vector<double>(p.features.size(), 1.0);
    std::vector<double> w(p.features.size(), 0.0);
    const std::size_t n = p.y.size();
    std::vector<double> alpha(n), q(n);
    for (std::size_t i = 0; i < n; ++i) {
        alpha[i] = 1e-3 * p.cost[i];
        for (std::size_t k = 0; k < p.idx[i].size(); ++k) {
            q[i] += double(p.val[i][k]) * p.val[i][k] / o.lambda;
            w[p.idx[i][k]] += alpha[i] * p.y[i] * p.val[i][k] / o.lambda;
        }
    }
    for (int pass = 0; pass < o.passes; ++pass)
        for (std::size_t i = 0; i < n; ++i) {
            double wz = 0;
            for (std::size_t k = 0; k < p.idx[i].size(); ++k) wz += w[p.idx[i][k]] * p.val[i][k];
            const double b = p.y[i] * (p.offset[i] + wz) - alpha[i] * q[i];
            const double a = solve_alpha(alpha[i], b, q[i], p.cost[i]);
            const double step = (a - alpha[i]) * p.y[i] / o.lambda;
            alpha[i] = a;
            for (std::size_t k = 0; k < p.idx[i].size(); ++k)
                w[p.idx[i][k]] += step * p.val[i][k];
        }
    personal_head h;
    for (std::size_t j = 0; j < w.size(); ++j)
        if (float f = float(w[j] * scale[j]); f != 0.0f) h.w.emplace_back(p.features[j], f);
    return h;
}

std::string head_text(const char* name, const personal_head& h) {
    std::string s = std::string("head ") + name + " " + std::to_string(h.w.size()) + "\n";
    char buf[48];
    for (const auto& [i, v] : h.w) {
        std::snprintf(buf, sizeof buf, "%u %.9g\n", unsigned(i), double(v));
        s += buf;
    }
    return s;
}

std::string body_text(const personal_layer& l) {
    return "corrections " + std::to_string(l.corrections) + "\n" +
           head_text("relevant", l.relevant) + head_text("application", l.application);
}

// The layer's name hash: FNV-1a over the corrections count and every (index, weight bits) pair,
// so the same weights (as parsed back from the text form, which round-trips floats) give the
// same name, without formatting the text.
std::string weights_hash(const personal_layer& l) {
    std::uint64_t h = fnv1a64(std::to_string(l.corrections));
    for (const personal_head* head : {&l.relevant, &l.application}) {
        h = fnv1a64("|", h);
        for (const auto& [i, v] : head->w) {
            std::uint32_t bits = 0;
            static_assert(sizeof bits == sizeof v);
            std::memcpy(&bits, &v, sizeof bits);
            const std::uint64_t pair = (std::uint64_t(i) << 32) | bits;
            h = fnv1a64(std::string_view(reinterpret_cast<const char*>(&pair), sizeof pair), h);
        }
    }
    return hex64(h);
}

bool next_line(std::string_view& t, std::string_view& line) {
    if (t.empty()) return false;
    auto e = t.find('\n');
    if (e == std::string_view::npos) return false; // every line ends with '\n'
    line = t.substr(0, e);
    t.remove_prefix(e + 1);
    return true;
}

template <class T> bool number(std::string_view s, T& out) {
    auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool parse_head(std::string_view& t, std::string_view name, personal_head& h) {
    std::string_view line;
    const std::string prefix = "head " + std::string(name) + " ";
    std::size_t n = 0;
    if (!next_line(t, line) || !line.starts_with(prefix) ||
        !number(line.substr(prefix.size()), n) || n > (std::size_t{1} << 24))
        return false;
    h.w.reserve(n);
    for (std::size_t k = 0; k < n; ++k) {
        std::uint32_t i = 0;
        float v = 0;
        auto sp = std::string_view::npos;
        if (!next_line(t, line) || (sp = line.find(' ')) == std::string_view::npos ||
            !number(line.substr(0, sp), i) || !number(line.substr(sp + 1), v) ||
            !std::isfinite(v) || (!h.w.empty() && h.w.back().first >= i))
            return false;
        h.w.emplace_back(i, v);
    }
    return true;
}

} // namespace

double personal_head::margin(const sparse_vector& z) const {
    double s = 0;
    auto it = w.begin();
    for (std::size_t k = 0; k < z.index.size() && it != w.end(); ++k) {
        it = std::lower_bound(it, w.end(), z.index[k],
                              [](const auto& e, std::uint32_t i) { return e.first < i; });
        if (it != w.end() && it->first == z.index[k]) s += double(it->second) * z.value[k];
    }
    return s;
}

std::string personal_layer::name() const {
    if (empty()) return "";
    return "personal " + std::to_string(corrections) + " corrections " + hash;
}

std::pair<double, double> personal_deltas(const personal_layer& l, const sparse_vector& z) {
    if (l.empty()) return {0.0, 0.0};
    return {l.relevant.margin(z), l.application.margin(z)};
}

verdict personal_verdict(const personal_layer& l, const personal_input& in) {
    if (in.forced_irrelevant) return verdict::irrelevant;
    auto [dr, da] = personal_deltas(l, in.z);
    if (in.relevant_margin + dr >= 0) return verdict::relevant;
    if (in.application_margin + da >= 0) return verdict::application;
    return verdict::irrelevant;
}

personal_layer train_personal(const std::vector<personal_example>& corrections,
                              const personal_options& o) {
    personal_layer l;
    for (const auto& e : corrections) l.corrections += !e.anchor;
    if (l.corrections == 0) return l;
    dual_problem rel, app;
    for (const auto& e : corrections) {
        add_example(rel, e.in.z, e.in.relevant_margin, e.label == verdict::relevant, e.weight, o);
        if (e.label != verdict::relevant)
            add_example(app, e.in.z, e.in.application_margin, e.label == verdict::application,
                        e.weight, o);
    }
    l.relevant = solve(std::move(rel), o);
    l.application = solve(std::move(app), o);
    l.hash = weights_hash(l);
    return l;
}

double personal_agreement(const std::vector<personal_example>& corrections, int k,
                          const personal_options& o) {
    const std::size_t n = corrections.size();
    if (n < 2) return -1;
    const std::size_t folds = std::min<std::size_t>(std::size_t(std::max(k, 2)), n);
    std::size_t agree = 0;
    std::size_t scored = 0;
    for (std::size_t f = 0; f < folds; ++f) {
        std::vector<personal_example> train;
        for (std::size_t i = 0; i < n; ++i)
            if (i % folds != f || corrections[i].anchor) train.push_back(corrections[i]);
        const personal_layer l = train_personal(train, o);
        for (std::size_t i = f; i < n; i += folds)
            if (!corrections[i].anchor) {
                ++scored;
                agree += personal_verdict(l, corrections[i].in) == corrections[i].label;
            }
    }
    return scored ? double(agree) / double(scored) : -1;
}

std::string serialize_personal(const personal_layer& l) {
    const std::string body = body_text(l);
    return "sieve-personal 1\nhash " + hex64(fnv1a64(body)) + "\n" + body;
}

boost::system::result<personal_layer, std::string> parse_personal(std::string_view text) {
    auto bad = [](std::string what) {
        return boost::system::result<personal_layer, std::string>(
            boost::system::in_place_error, "personal layer: " + what);
    };
    std::string_view t = text, line;
    if (!next_line(t, line) || line != "sieve-personal 1") return bad("not a personal layer");
    if (!next_line(t, line) || !line.starts_with("hash ") || line.size() != 21)
        return bad("expected 'hash <16 hex digits>'");
    const std::string hash(line.substr(5));
    if (hex64(fnv1a64(t)) != hash) return bad("damaged (hash mismatch)");
    personal_layer l;
    if (!next_line(t, line) || !line.starts_with("corrections ") ||
        !number(line.substr(12), l.corrections))
        return bad("expected 'corrections <n>'");
    if (!parse_head(t, "relevant", l.relevant) || !parse_head(t, "application", l.application) ||
        !t.empty())
        return bad("malformed head");
    l.hash = l.corrections ? weights_hash(l) : "";
    return l;
}

} // namespace sieve
