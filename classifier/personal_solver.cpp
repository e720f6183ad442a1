#include "classifier/personal_solver.hpp"

#include <algorithm>
#include <cmath>

namespace sieve {

namespace {

void index_features(personal_problem& p) {
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
    std::vector<std::vector<std::pair<std::uint32_t, float>>> col; // per feature: (example, z)
    std::vector<double> s;      // y_i (m_i + w . z_i)
    std::vector<double> sigma;  // 1 / (1 + exp(-s_i))
};

double loss(double s) { return s > 0 ? std::log1p(std::exp(-s)) : -s + std::log1p(std::exp(s)); }

// One Newton step on feature j, soft-thresholded, with a backtracking (Armijo) line search.
void primal_step(const personal_problem& p, const personal_options& o, primal_state& st,
                 std::vector<double>& w, std::size_t j) {
    double g = o.lambda * w[j], h = o.lambda + 1e-12;
    for (const auto& [i, v] : st.col[j]) {
        const double c = p.cost[i] * v * p.y[i];
        g += c * (st.sigma[i] - 1);
        h += p.cost[i] * double(v) * v * st.sigma[i] * (1 - st.sigma[i]);
    }
    const double x = w[j] - g / h, t = o.l1 / h;
    const double target = x > t ? x - t : x < -t ? x + t : 0.0;
    double d = target - w[j];
    if (d == 0) return;
    const double model = g * d + o.l1 * (std::fabs(w[j] + d) - std::fabs(w[j]));
    for (int k = 0; k < 20; ++k, d *= 0.5) {
        double f = o.lambda * 0.5 * ((w[j] + d) * (w[j] + d) - w[j] * w[j]) +
                   o.l1 * (std::fabs(w[j] + d) - std::fabs(w[j]));
        for (const auto& [i, v] : st.col[j])
            f += p.cost[i] * (loss(st.s[i] + d * v * p.y[i]) - loss(st.s[i]));
        if (f <= 0.01 * model * std::pow(0.5, k)) {
            w[j] += d;
            for (const auto& [i, v] : st.col[j]) {
                st.s[i] += d * v * p.y[i];
                st.sigma[i] = 1 / (1 + std::exp(-st.s[i]));
            }
            return;
        }
    }
}

std::vector<double> solve_primal(const personal_problem& p, const personal_options& o) {
    primal_state st;
    st.col.resize(p.features.size());
    const std::size_t n = p.y.size();
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < p.idx[i].size(); ++k)
            st.col[p.idx[i][k]].emplace_back(std::uint32_t(i), p.val[i][k]);
    for (std::size_t i = 0; i < n; ++i) {
        st.s.push_back(p.y[i] * p.offset[i]);
        st.sigma.push_back(1 / (1 + std::exp(-st.s.back())));
    }
    std::vector<double> w(p.features.size(), 0.0);
    for (int pass = 0; pass < o.passes; ++pass)
        for (std::size_t j = 0; j < w.size(); ++j) primal_step(p, o, st, w, j);
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
