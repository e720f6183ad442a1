#include "classifier/personal_simulation.hpp"

#include <algorithm>

namespace sieve {

namespace {

std::uint64_t splitmix64(std::uint64_t& s) {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::vector<std::size_t> shuffled(std::size_t n, std::uint64_t seed) {
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    for (std::size_t i = n; i > 1; --i)
        std::swap(order[i - 1], order[splitmix64(seed) % i]);
    return order;
}

double share(std::size_t hit, std::size_t n) { return n ? double(hit) / double(n) : 0.0; }

simulation_point score_unseen(const simulated_user& u, const std::vector<std::size_t>& order,
                              std::size_t seen, const personal_layer& l) {
    simulation_point p;
    p.seen = seen;
    std::size_t hit[2] = {0, 0}, base[2] = {0, 0}, n[2] = {0, 0};
    for (std::size_t k = seen; k < order.size(); ++k) {
        const std::size_t i = order[k];
        const int s = u.shifted[i] ? 1 : 0;
        ++n[s];
        hit[s] += personal_verdict(l, u.in[i]) == u.wants[i];
        base[s] += u.in[i].shipped == u.wants[i];
    }
    p.unseen = n[0] + n[1];
    p.unseen_shifted = n[1];
    p.all = share(hit[0] + hit[1], p.unseen);
    p.shifted = share(hit[1], n[1]);
    p.unshifted = share(hit[0], n[0]);
    p.shipped_all = share(base[0] + base[1], p.unseen);
    p.shipped_shifted = share(base[1], n[1]);
    p.shipped_unshifted = share(base[0], n[0]);
    return p;
}

} // namespace

std::vector<simulation_point> simulate_user(const simulated_user& u,
                                            const std::vector<std::size_t>& checkpoints,
                                            std::uint64_t seed, const personal_options& o) {
    const auto order = shuffled(u.in.size(), seed);
    std::vector<simulation_point> out;
    std::vector<personal_example> made = u.anchors;
    const std::size_t anchors = made.size();
    personal_layer layer;
    std::size_t k = 0, next = 0, shifted_made = 0;
    auto record = [&] {
        out.push_back(score_unseen(u, order, k, layer));
        out.back().corrections = made.size() - anchors;
        out.back().shifted_corrections = shifted_made;
        std::size_t kept = 0;
        for (std::size_t c = anchors; c < made.size(); ++c)
            kept += personal_verdict(layer, made[c].in) == made[c].label;
        out.back().kept = share(kept, made.size() - anchors);
        ++next;
    };
    while (next < checkpoints.size()) {
        if (made.size() - anchors >= checkpoints[next]) { record(); continue; }
        if (k >= order.size()) { record(); continue; }
        const std::size_t i = order[k++];
        if (personal_verdict(layer, u.in[i]) == u.wants[i]) continue;
        made.push_back({u.in[i], u.wants[i], 1.0});
        shifted_made += u.shifted[i];
        layer = train_personal(made, o);
    }
    return out;
}

} // namespace sieve
