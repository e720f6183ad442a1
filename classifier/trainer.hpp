// Fits a logistic-regression head with liblinear (L2-regularised, primal trust-region solver).
// Deterministic: the same inputs give the same weights bit for bit.
#pragma once
#include "classifier/model.hpp"

#include <string>
#include <vector>

namespace sieve {

struct train_options {
    double c = 1.0;       // inverse regularisation strength
    double eps = 0.01;    // stopping tolerance
    double positive_weight = 1.0; // class weight of label 1
    bool l1 = false;      // L1 regularisation (sparse weights) instead of L2
};

// xs[i] with label ys[i] (0 or 1) repeated copies[i] times (copies may be empty: all 1).
// Returns a head named `name` with threshold 0.5; an empty or one-class input gives zero weights
// and a bias of +-4.
linear_head train_head(std::string name, const std::vector<const sparse_vector*>& xs,
                       const std::vector<int>& ys, const std::vector<int>& copies,
                       const train_options& opt, unsigned hash_bits);

} // namespace sieve
