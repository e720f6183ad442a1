#include "classifier/features.hpp"

#include "classifier/hash.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

namespace sieve {

namespace {

// The seed of the hashed feature space: part of the model format (changing it needs retraining).
constexpr std::uint64_t feature_seed = 1469598103934665603ULL;

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = feature_seed) { return fnv1a64(s, h); }

std::uint32_t bucket(std::uint64_t h, unsigned bits) {
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return static_cast<std::uint32_t>(h & ((std::uint64_t{1} << bits) - 1));
}

using raw_features = std::vector<std::pair<std::uint32_t, float>>;

// origins (for notes): when given, also where each n-gram comes from (tokens of a field).
void add_ngrams(const std::vector<token>& toks, std::string_view uni, std::string_view bi,
                unsigned bits, std::vector<std::uint32_t>& out,
                std::vector<gram_origin>* origins = nullptr, bool abstract = false) {
    const std::uint64_t uni_seed = fnv1a("\x1e", fnv1a(uni)); // as feature_index(uni, ...)
    const std::uint64_t bi_seed = fnv1a(bi);
    std::optional<std::uint64_t> prev; // fnv1a(previous term, bi_seed) + "\x1f", carried forward
    std::uint32_t prev_at = 0;
    for (std::uint32_t k = 0; k < toks.size(); ++k) {
        const auto& tk = toks[k];
        if (tk.stop) continue;
        out.push_back(bucket(fnv1a(tk.term, uni_seed), bits));
        if (origins) origins->push_back({out.back(), k, k + 1, abstract});
        if (bi.empty()) continue;
        if (prev) {
            out.push_back(bucket(fnv1a(tk.term, *prev), bits));
            if (origins) origins->push_back({out.back(), prev_at, k + 1, abstract});
        }
        prev = fnv1a("\x1f", fnv1a(tk.term, bi_seed));
        prev_at = k;
    }
}

// Sorts by the key bits [low, low + 24) (a feature index: 2^24 is the largest hash space) in
// stable 8-bit radix passes: a few times faster than std::sort on a paper's few hundred n-grams.
template <class T> void radix_sort(std::vector<T>& v, unsigned low) {
    T top = 0;
    for (auto i : v) top |= i;
    top >>= low;
    std::vector<T> tmp(v.size());
    for (unsigned shift = low; shift < low + 24 && (top >> (shift - low)) != 0; shift += 8) {
        std::array<std::uint32_t, 256> at{};
        for (auto i : v) ++at[(i >> shift) & 0xFF];
        std::uint32_t sum = 0;
        for (auto& n : at) sum += std::exchange(n, sum);
        for (auto i : v) tmp[at[(i >> shift) & 0xFF]++] = i;
        v.swap(tmp);
    }
}

// Sorts n-gram indexes; with `rank` (for the first rank->size() n-grams, those with origins),
// also each one's place among the distinct indexes.
void sort_grams(std::vector<std::uint32_t>& idx, std::vector<std::uint32_t>* rank) {
    const bool small = std::all_of(idx.begin(), idx.end(), [](auto i) { return i < (1u << 24); });
    if (!rank) {
        if (small && idx.size() >= 64) radix_sort(idx, 0);
        else std::sort(idx.begin(), idx.end());
        return;
    }
    std::vector<std::uint64_t> keys(idx.size()); // index, then the n-gram's place: stable
    for (std::size_t k = 0; k < idx.size(); ++k) keys[k] = std::uint64_t(idx[k]) << 32 | k;
    if (small) radix_sort(keys, 32);
    else std::sort(keys.begin(), keys.end());
    std::uint32_t distinct = 0;
    for (std::size_t k = 0; k < keys.size(); ++k) {
        idx[k] = std::uint32_t(keys[k] >> 32);
        if (k > 0 && idx[k] != idx[k - 1]) ++distinct;
        if (const auto g = std::uint32_t(keys[k]); g < rank->size()) (*rank)[g] = distinct;
    }
}

// Counts repeated indexes (sorted), applies log(1+tf) and L2-normalises.
raw_features fold_counts(const std::vector<std::uint32_t>& idx) {
    raw_features f;
    f.reserve(idx.size());
    for (std::size_t r = 0; r < idx.size();) {
        std::size_t e = r;
        while (e < idx.size() && idx[e] == idx[r]) ++e;
        f.emplace_back(idx[r], static_cast<float>(e - r));
        r = e;
    }
    double norm = 0;
    for (auto& [i, v] : f) {
        v = std::log1p(v);
        norm += double(v) * v;
    }
    norm = std::sqrt(norm);
    if (norm > 0)
        for (auto& [i, v] : f) v = static_cast<float>(v / norm);
    return f;
}

std::string_view kind_name(line_kind k) {
    switch (k) {
    case line_kind::topic_goal: return "goal";
    case line_kind::topic_relevant: return "trel";
    case line_kind::topic_irrelevant: return "tirr";
    case line_kind::topic_filter: return "tfil";
    case line_kind::keywords_relevant: return "krel";
    case line_kind::keywords_irrelevant: return "kirr";
    case line_kind::keywords_application: return "kapp";
    }
    return "other";
}

void add_criteria(const std::vector<phrase_match>& ms, const criteria& c, std::string_view field,
                  unsigned bits, raw_features& out) {
    for (const auto& m : distinct_matches(ms)) {
        std::string g = "c:" + std::string(kind_name(c.lines[m.line].kind));
        out.emplace_back(feature_index(g, field, bits), 1.0f);
    }
}

// Each origin's position in v: its n-gram's distinct index (rank) is text_index[rank], found in
// v (both sorted) in one walk.
void place_origins(const sparse_vector& v, const std::vector<std::uint32_t>& text_index,
                   const std::vector<std::uint32_t>& rank, std::vector<gram_origin>& origins) {
    std::vector<std::uint32_t> at(text_index.size());
    std::size_t j = 0;
    for (std::size_t r = 0; r < text_index.size(); ++r) {
        while (v.index[j] < text_index[r]) ++j;
        at[r] = std::uint32_t(j);
    }
    for (std::size_t k = 0; k < origins.size(); ++k) origins[k].at = at[rank[k]];
}

} // namespace

std::uint32_t feature_index(std::string_view group, std::string_view term, unsigned bits) {
    std::uint64_t h = fnv1a(group);
    h = fnv1a("\x1e", h);
    return bucket(fnv1a(term, h), bits);
}

analysed_paper analyse(const paper& p, const criteria_matcher& m) {
    analysed_paper a;
    a.title = tokenize(p.title, &a.stats);
    a.abstract = tokenize(p.abstract, &a.stats);
    a.extra = tokenize(p.venue);
    for (const auto& k : p.keywords) {
        auto more = tokenize(k);
        a.extra.insert(a.extra.end(), more.begin(), more.end());
    }
    a.title_matches = m.find(a.title);
    a.abstract_matches = m.find(a.abstract);
    return a;
}

sparse_vector make_features(const analysed_paper& a, const criteria& c, unsigned bits) {
    return make_features(a, c, bits, nullptr);
}

sparse_vector make_features(const analysed_paper& a, const criteria& c, unsigned bits,
                            std::vector<gram_origin>* origins) {
    std::vector<std::uint32_t> grams;
    grams.reserve(2 * (2 * a.title.size() + a.abstract.size() + a.extra.size()));
    if (origins) {
        origins->clear();
        origins->reserve(2 * (2 * a.title.size() + a.abstract.size()));
    }
    add_ngrams(a.title, "t", "t2", bits, grams, origins, false);
    add_ngrams(a.title, "a", "a2", bits, grams, origins, false); // title words as text words too
    add_ngrams(a.abstract, "a", "a2", bits, grams, origins, true);
    add_ngrams(a.extra, "x", "", bits, grams);
    std::vector<std::uint32_t> rank(origins ? origins->size() : 0);
    sort_grams(grams, origins ? &rank : nullptr);
    raw_features text = fold_counts(grams);
    const std::size_t text_size = text.size();
    std::vector<std::uint32_t> text_index; // the distinct n-gram indexes, for the origins
    if (origins)
        for (const auto& [i, v] : text) text_index.push_back(i);

    raw_features crit;
    add_criteria(a.title_matches, c, "title", bits, crit);
    add_criteria(a.abstract_matches, c, "abstract", bits, crit);
    std::vector<int> topics;
    for (const auto* ms : {&a.title_matches, &a.abstract_matches})
        for (const auto& m : *ms)
            if (c.lines[m.line].kind == line_kind::topic_relevant &&
                std::find(topics.begin(), topics.end(), c.lines[m.line].topic) == topics.end())
                topics.push_back(c.lines[m.line].topic);
    if (!topics.empty())
        crit.emplace_back(feature_index("c:topics", "n", bits), float(topics.size()));
    if (a.abstract.empty()) crit.emplace_back(feature_index("c:noabs", "", bits), 1.0f);
    std::sort(crit.begin(), crit.end());
    for (std::size_t r = 0; r < crit.size(); ++r) { // log(1+count), scaled down next to text
        std::size_t e = r;
        float sum = 0;
        while (e < crit.size() && crit[e].first == crit[r].first) sum += crit[e++].second;
        text.emplace_back(crit[r].first, 0.5f * std::log1p(sum));
        r = e - 1;
    }

    // Both parts are sorted, with distinct indexes within each: merging gives the sorted order
    // (an index in both parts is summed below, and a + b == b + a).
    std::inplace_merge(text.begin(), text.begin() + std::ptrdiff_t(text_size), text.end());
    sparse_vector v;
    v.index.reserve(text.size());
    v.value.reserve(text.size());
    for (const auto& [i, val] : text) {
        if (!v.index.empty() && v.index.back() == i) { v.value.back() += val; continue; }
        v.index.push_back(i);
        v.value.push_back(val);
    }
    if (origins) place_origins(v, text_index, rank, *origins);
    return v;
}

} // namespace sieve

