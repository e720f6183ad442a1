// Replaying a simulated user who corrects Sieve (`sieve eval --simulate-user`). Pure and
// deterministic: the user meets the papers in a shuffled order (seeded), each judged by the
// personal layer trained on the corrections made so far, and corrects the first wrong verdicts
// they meet; at each checkpoint (number of corrections) the unseen papers are scored.
#pragma once
#include "classifier/personal.hpp"

#include <cstdint>
#include <vector>

namespace sieve {

struct simulated_user {
    std::vector<personal_input> in; // per paper
    std::vector<verdict> wants;     // the user's verdict per paper
    std::vector<bool> shifted;      // the user's verdict differs from the judges'
    std::vector<personal_example> anchors; // learned with the corrections (may be empty)
};

struct simulation_point {
    std::size_t corrections = 0;    // made so far (fewer than asked: the stream ran out)
    std::size_t shifted_corrections = 0; // of them, on papers whose verdict the taste changes
    double kept = 0;                // share of the corrections made whose verdict the layer gives
    std::size_t seen = 0;           // papers met so far
    std::size_t unseen = 0, unseen_shifted = 0;
    // Share of unseen papers given the user's verdict: all, shifted, unshifted; by the layer and
    // by the shipped model (no corrections) on the same papers.
    double all = 0, shifted = 0, unshifted = 0;
    double shipped_all = 0, shipped_shifted = 0, shipped_unshifted = 0;
};

std::vector<simulation_point> simulate_user(const simulated_user& u,
                                            const std::vector<std::size_t>& checkpoints,
                                            std::uint64_t seed, const personal_options& o);

} // namespace sieve
