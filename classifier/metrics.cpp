#include "classifier/metrics.hpp"

#include <algorithm>
#include <numeric>

namespace sieve {

void binary_counts::add(bool predicted, bool actual) {
    if (predicted && actual) ++tp;
    else if (predicted) ++fp;
    else if (actual) ++fn;
    else ++tn;
}

double binary_counts::precision() const { return tp + fp ? double(tp) / double(tp + fp) : 0.0; }
double binary_counts::recall() const { return tp + fn ? double(tp) / double(tp + fn) : 0.0; }
double binary_counts::f1() const {
    return 2 * tp + fp + fn ? 2.0 * double(tp) / double(2 * tp + fp + fn) : 0.0;
}

double roc_auc(const std::vector<double>& scores, const std::vector<bool>& labels) {
    std::vector<std::size_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return scores[a] < scores[b]; });
    double pos = 0, neg = 0, rank_sum = 0;
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
        double avg_rank = (double(i) + double(j) + 1) / 2.0; // 1-based average rank of the tie
        for (std::size_t k = i; k < j; ++k) {
            if (labels[order[k]]) { rank_sum += avg_rank; ++pos; }
            else ++neg;
        }
        i = j;
    }
    if (pos == 0 || neg == 0) return 0.5;
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
}

double best_f1_threshold(const std::vector<double>& scores, const std::vector<bool>& labels,
                         double* best_f1) {
    std::vector<std::size_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return scores[a] > scores[b]; });
    std::size_t total_pos = std::count(labels.begin(), labels.end(), true);
    std::size_t tp = 0;
    double best = 0, thr = 1;
    for (std::size_t i = 0; i < order.size(); ++i) {
        tp += labels[order[i]];
        if (i + 1 < order.size() && scores[order[i + 1]] == scores[order[i]]) continue;
        double f = 2.0 * double(tp) / double(i + 1 + total_pos);
        if (f > best) { best = f; thr = scores[order[i]]; }
    }
    if (best_f1) *best_f1 = best;
    return thr;
}

double confusion::accuracy() const {
    std::size_t ok = 0, all = 0;
    for (std::size_t a = 0; a < 3; ++a)
        for (std::size_t p = 0; p < 3; ++p) {
            all += m[a][p];
            ok += a == p ? m[a][p] : 0;
        }
    return all ? double(ok) / double(all) : 0.0;
}

} // namespace sieve
