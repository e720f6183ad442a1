#include "classifier/personal_solver.hpp"

#include <boost/unordered/unordered_flat_map.hpp>
#include <algorithm>
#include <cmath>

namespace sieve {

namespace {

void index_features(personal_problem& p) {
    boost::unordered_flat_map<std::uint32_t, std::uint32_t> local;
    for (const auto& ix : p.idx)
        for (auto i : ix) local.emplace(i, 0);
    p.features.reserve(local.size());
    for (const auto& [i, unused] : local) p.features.push_back(i);
    std::sort(p.features.begin(), p.features.end()); // local order: by feature index
    for (std::uint32_t k = 0; k < p.features.size(); ++k) local[p.features[k]] = k;
    for (auto& ix : p.idx)
        for (auto& i : ix) i = local.find(i)->second;
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
// scale is folded into the learned weights afterwards, so the layer reads plain z.
std::vector<double> apply_idf(personal_problem& p) {
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

// l1 = 0: the exact solution in the dual (w = sum_i alpha_i y_i z_i / lambda).
std::vector<double> solve_dual(const personal_problem& p, const personal_options& o) {
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
    return w;
}

// The primal by coordinate descent over feature columns (l1 > 0).
struct primal_state {
    std::vector<std::size_t> start;                   // feature j: entries [start[j], start[j+1])
    std::vector<std::pair<std::uint32_t, float>> entry; // (example, z)
    std::vector<double> s;      // y_i (m_i + w . z_i)
    std::vector<double> q, r;   // c_i y_i (sigma(s_i) - 1) and c_i sigma(s_i) (1 - sigma(s_i))

    void set(const personal_problem& p, std::size_t i, double margin) {
        s[i] = margin;
        const double sigma = 1 / (1 + std::exp(-margin));
        q[i] = p.cost[i] * p.y[i] * (sigma - 1);
        r[i] = p.cost[i] * sigma * (1 - sigma);
    }
};

double loss(double s) { return s > 0 ? std::log1p(std::exp(-s)) : -s + std::log1p(std::exp(s)); }

// One Newton step on feature j, soft-thresholded, with a backtracking (Armijo) line search.
// False when the feature is 0 and its gradient well inside the l1 threshold (it may be skipped
// until the next full pass).
bool primal_step(const personal_problem& p, const personal_options& o, primal_state& st,
                 std::vector<double>& w, std::size_t j) {
    const auto first = st.entry.begin() + std::ptrdiff_t(st.start[j]);
    const auto last = st.entry.begin() + std::ptrdiff_t(st.start[j + 1]);
    double g = o.lambda * w[j], h = o.lambda + 1e-12;
    for (auto e = first; e != last; ++e) {
        g += e->second * st.q[e->first];
        h += double(e->second) * e->second * st.r[e->first];
    }
    const double x = w[j] - g / h, t = o.l1 / h;
    const double target = x > t ? x - t : x < -t ? x + t : 0.0;
    double d = target - w[j];
    if (d == 0) return w[j] != 0 || std::fabs(g) > 0.5 * o.l1;
    const double model = g * d + o.l1 * (std::fabs(w[j] + d) - std::fabs(w[j]));
    for (int k = 0; k < 20; ++k, d *= 0.5) {
        double f = o.lambda * 0.5 * ((w[j] + d) * (w[j] + d) - w[j] * w[j]) +
                   o.l1 * (std::fabs(w[j] + d) - std::fabs(w[j]));
        for (auto e = first; e != last; ++e) {
            const std::size_t i = e->first;
            f += p.cost[i] * (loss(st.s[i] + d * e->second * p.y[i]) - loss(st.s[i]));
        }
        if (f <= 0.01 * model * std::pow(0.5, k)) {
            w[j] += d;
            for (auto e = first; e != last; ++e)
                st.set(p, e->first, st.s[e->first] + d * e->second * p.y[e->first]);
            return true;
        }
    }
    return true;
}

std::vector<double> solve_primal(const personal_problem& p, const personal_options& o) {
    primal_state st;
    const std::size_t n = p.y.size(), nf = p.features.size();
    st.start.assign(nf + 1, 0);
    for (const auto& ix : p.idx)
        for (auto j : ix) ++st.start[j + 1];
    for (std::size_t j = 0; j < nf; ++j) st.start[j + 1] += st.start[j];
    st.entry.resize(st.start[nf]);
    std::vector<std::size_t> fill(st.start.begin(), st.start.end() - 1);
    for (std::size_t i = 0; i < n; ++i) // examples in order: each column sorted by example
        for (std::size_t k = 0; k < p.idx[i].size(); ++k)
            st.entry[fill[p.idx[i][k]]++] = {std::uint32_t(i), p.val[i][k]};
    st.s.resize(n);
    st.q.resize(n);
    st.r.resize(n);
    for (std::size_t i = 0; i < n; ++i) st.set(p, i, p.y[i] * p.offset[i]);
    std::vector<double> w(nf, 0.0);
    // Every 4th pass and the last visit every feature; the others only those near the l1
    // threshold or already moved (most features of a text never are: an active set).
    std::vector<char> active(nf, 1);
    for (int pass = 0; pass < o.passes; ++pass) {
        const bool full = pass % 4 == 0 || pass == o.passes - 1;
        for (std::size_t j = 0; j < nf; ++j)
            if (full || active[j]) active[j] = primal_step(p, o, st, w, j);
    }
    return w;
}

} // namespace

void add_personal_example(personal_problem& p, const sparse_vector& z, double offset,
                          bool positive, double cost, const personal_options& o) {
    if (o.margin_cost > 0 && (offset >= 0) != positive)
        cost *= std::min(1.0, std::max(0.1, std::fabs(offset) / o.margin_cost));
    p.idx.emplace_back(z.index.begin(), z.index.end()); // global for now, mapped in index()
    p.val.emplace_back(z.value.begin(), z.value.end());
    p.offset.push_back(offset);
    p.cost.push_back(cost);
    p.y.push_back(positive ? 1 : -1);
}

personal_head solve_personal(personal_problem p, const personal_options& o) {
    index_features(p);
    const std::vector<double> scale =
        o.idf ? apply_idf(p) : std::vector<double>(p.features.size(), 1.0);
    const std::vector<double> w = o.l1 > 0 ? solve_primal(p, o) : solve_dual(p, o);
    personal_head h;
    for (std::size_t j = 0; j < w.size(); ++j)
        if (float f = float(w[j] * scale[j]); f != 0.0f) h.w.emplace_back(p.features[j], f);
    return h;
}

} // namespace sieve
