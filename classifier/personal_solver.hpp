// The personal layer's learning problem for one verdict head and its two solvers (pure,
// deterministic): min_d lambda/2 |d|^2 + l1 |d|_1 + sum_i c_i log(1 + exp(-y_i (m_i + d . z_i))),
// where m_i is the shipped margin (the offset). With l1 = 0 it is solved exactly in the dual
// (coordinate ascent, as liblinear's dual logistic solver); with l1 > 0 in the primal by
// coordinate descent (one Newton step per feature, soft-thresholded, with a backtracking line
// search, as liblinear's L1 solver): a feature's weight then stays 0 until the corrections that
// have it agree strongly enough (|sum of their gradients| > l1), so one correction does not move
// every paper that shares a common feature, while several agreeing ones do.
#pragma once
#include "classifier/features.hpp"
#include "classifier/personal.hpp"

#include <cstdint>
#include <vector>

namespace sieve {

struct personal_problem {
    std::vector<std::uint32_t> features;          // local index -> feature index (after index())
    std::vector<std::vector<std::uint32_t>> idx;  // per example: feature indexes (local after index())
    std::vector<std::vector<float>> val;
    std::vector<double> offset, cost;
    std::vector<int> y;                           // +1 / -1
};

// Appends one example (cost scaled by o.margin_cost when it contradicts its shipped margin).
void add_personal_example(personal_problem& p, const sparse_vector& z, double offset,
                          bool positive, double cost, const personal_options& o);

// The head's delta learned from p with o (lambda, l1, passes, idf).
personal_head solve_personal(personal_problem p, const personal_options& o);

} // namespace sieve
