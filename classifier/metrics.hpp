// Accuracy measures for `sieve eval`. Pure functions over predictions and labels.
#pragma once
#include <array>
#include <cstddef>
#include <vector>

namespace sieve {

struct binary_counts {
    std::size_t tp = 0, fp = 0, fn = 0, tn = 0;
    void add(bool predicted, bool actual);
    double precision() const;
    double recall() const;
    double f1() const;
};

// Area under the ROC curve of scores against labels (ties count half); 0.5 when one class is
// missing.
double roc_auc(const std::vector<double>& scores, const std::vector<bool>& labels);

// The threshold on scores that maximises F1 (for reporting; the model's own threshold decides).
double best_f1_threshold(const std::vector<double>& scores, const std::vector<bool>& labels,
                         double* best_f1 = nullptr);

// 3-way confusion matrix, rows = actual, columns = predicted, in verdict order
// (relevant, application, irrelevant).
struct confusion {
    std::array<std::array<std::size_t, 3>, 3> m{};
    void add(int actual, int predicted) { ++m[std::size_t(actual)][std::size_t(predicted)]; }
    double accuracy() const;
};

} // namespace sieve
