#include "classifier/trainer.hpp"

#include <linear.h>

#include <algorithm>
#include <cstdlib>

namespace sieve {

namespace {
void quiet(const char*) {}
} // namespace

linear_head train_head(std::string name, const std::vector<const sparse_vector*>& xs,
                       const std::vector<int>& ys, const std::vector<int>& copies,
                       const train_options& opt, unsigned hash_bits) {
    linear_head h;
    h.name = std::move(name);
    h.weights.assign(std::size_t{1} << hash_bits, 0.0f);
    std::size_t pos = std::count(ys.begin(), ys.end(), 1);
    if (pos == 0 || pos == ys.size()) {
        h.bias = pos == 0 ? -4.0 : 4.0;
        return h;
    }
    // liblinear wants 1-based indexes, a bias node and a -1 terminator per row.
    std::vector<std::vector<feature_node>> rows;
    std::vector<double> y;
    const int bias_index = static_cast<int>(h.weights.size()) + 1;
    for (std::size_t i = 0; i < xs.size(); ++i) {
        std::vector<feature_node> row;
        row.reserve(xs[i]->index.size() + 2);
        for (std::size_t k = 0; k < xs[i]->index.size(); ++k)
            row.push_back({static_cast<int>(xs[i]->index[k]) + 1, xs[i]->value[k]});
        row.push_back({bias_index, 1.0});
        row.push_back({-1, 0.0});
        int n = copies.empty() ? 1 : copies[i];
        for (int c = 0; c < n; ++c) {
            rows.push_back(row);
            y.push_back(ys[i] == 1 ? 1.0 : -1.0);
        }
    }
    std::vector<feature_node*> ptrs;
    for (auto& r : rows) ptrs.push_back(r.data());
    problem prob{static_cast<int>(rows.size()), bias_index, y.data(), ptrs.data(), -1.0};
    int labels[2] = {1, -1};
    double weights[2] = {opt.positive_weight, 1.0};
    parameter param{opt.l1 ? L1R_LR : L2R_LR, opt.eps, opt.c, 2, labels, weights, 0.1, nullptr};
    set_print_string_function(quiet);
    std::srand(1); // liblinear's L1 solver shuffles with rand(): same sequence for every head
    ::model* m = train(&prob, &param);
    // liblinear orders classes by first appearance: flip when -1 came first.
    double sign = m->label[0] == 1 ? 1.0 : -1.0;
    for (std::size_t i = 0; i < h.weights.size(); ++i)
        h.weights[i] = static_cast<float>(sign * m->w[i]);
    h.bias = sign * m->w[h.weights.size()];
    free_and_destroy_model(&m);
    return h;
}

} // namespace sieve
