// sieve eval --simulate-user: the simulated users of issue 15 (docs/benchmarks.md).
#pragma once
#include "classifier/classifier.hpp"
#include "connector/cli/cli.hpp"

#include <boost/program_options.hpp>

namespace sieve::cli {

// --simulate-user judges|no-representation|rl-too|all over --input's agreed papers;
// --seeds N shuffles (default 5); --personal name=value (lambda, passes, text_scale,
// topic_scale, bias); with --train FILE... each paper is read by its cross-validation fold's model
// (--cv K, default 5) instead of the embedded one. Prints per shuffle and checkpoint N = 0, 10, 25, 50, 100 the share of
// unseen papers given the user's verdict (all, shifted, unshifted) beside the shipped model's.
int run_simulate_user(const boost::program_options::variables_map& vm, const criteria& crit);

} // namespace sieve::cli
