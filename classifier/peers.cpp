#include "classifier/peers.hpp"

#include "classifier/features.hpp"
#include "classifier/hash.hpp"
#include "classifier/matcher.hpp"
#include "classifier/stacking.hpp"
#include "classifier/trainer.hpp"

#include <algorithm>
#include <cmath>

namespace sieve {

namespace {

constexpr unsigned peer_bits = 20;

// Lower-case words of two or more word characters (ASCII letters and digits, any non-ASCII
// byte), as TfidfVectorizer's default token pattern.
std::vector<std::string> plain_words(const std::string& text) {
    std::vector<std::string> out;
    std::string w;
    auto flush = [&] {
        if (w.size() >= 2) out.push_back(w);
        w.clear();
    };
    for (unsigned char ch : text) {
        if (std::isalnum(ch) || ch >= 0x80) w += char(std::tolower(ch));
        else flush();
    }
    flush();
    return out;
}

// Term counts of the 1-2 grams, sorted by hashed index.
std::vector<std::pair<std::uint32_t, float>> gram_counts(const paper& p) {
    auto words = plain_words(p.title + " . " + p.abstract);
    std::vector<std::uint32_t> idx;
    const std::uint32_t mask = (1u << peer_bits) - 1;
    for (std::size_t i = 0; i < words.size(); ++i) {
        idx.push_back(std::uint32_t(fnv1a64(words[i])) & mask);
        if (i + 1 < words.size())
            idx.push_back(std::uint32_t(fnv1a64(words[i + 1], fnv1a64(words[i] + " "))) & mask);
    }
    std::sort(idx.begin(), idx.end());
    std::vector<std::pair<std::uint32_t, float>> out;
    for (std::size_t r = 0; r < idx.size();) {
        std::size_t e = r;
        while (e < idx.size() && idx[e] == idx[r]) ++e;
        out.emplace_back(idx[r], float(e - r));
        r = e;
    }
    return out;
}

sparse_vector tfidf(const std::vector<std::pair<std::uint32_t, float>>& counts,
                    const std::vector<float>& idf) {
    sparse_vector v;
    double norm = 0;
    for (const auto& [i, n] : counts) {
        float val = (1 + std::log(n)) * idf[i];
        v.index.push_back(i);
        v.value.push_back(val);
        norm += double(val) * val;
    }
    norm = std::sqrt(norm);
    for (auto& val : v.value) val = float(val / (norm > 0 ? norm : 1));
    return v;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

double logistic(double m) { return 1 / (1 + std::exp(-m)); }

} // namespace

prediction keyword_peer(const paper& p, const criteria& c) {
    criteria_matcher m(c);
    analysed_paper a = analyse(p, m);
    auto t = match_counts(a.title_matches, c), ab = match_counts(a.abstract_matches, c);
    auto n = [&](line_kind k) { return t[std::size_t(k)] + ab[std::size_t(k)]; };
    int rel = n(line_kind::topic_relevant) + n(line_kind::keywords_relevant);
    prediction out;
    out.relevance = rel - n(line_kind::keywords_irrelevant);
    if (rel > 0 && n(line_kind::keywords_irrelevant) == 0) out.label = verdict::relevant;
    else if (n(line_kind::keywords_application) + n(line_kind::topic_irrelevant) > 0)
        out.label = verdict::application;
    for (std::size_t k = 0; k < c.topics.size(); ++k) {
        auto tt = match_counts(a.title_matches, c, int(k));
        auto ta = match_counts(a.abstract_matches, c, int(k));
        auto r = std::size_t(line_kind::topic_relevant);
        if (tt[r] + ta[r] > 0) out.topics.push_back(c.topics[k].name);
    }
    return out;
}

std::vector<prediction> tfidf_peer(const std::vector<labelled_paper>& data,
                                   const std::vector<std::size_t>& train,
                                   const std::vector<std::size_t>& test, const criteria& c,
                                   double cost) {
    std::vector<std::size_t> gold;
    for (auto i : train)
        if (data[i].gold) gold.push_back(i);
    std::vector<float> idf(std::size_t{1} << peer_bits, 0.0f);
    std::vector<std::vector<std::pair<std::uint32_t, float>>> counts;
    for (auto i : gold) {
        counts.push_back(gram_counts(data[i].p));
        for (const auto& [f, n] : counts.back()) idf[f] += 1;
    }
    const double docs = double(gold.size());
    for (auto& v : idf) v = float(std::log((1 + docs) / (1 + v)) + 1); // smoothed, as sklearn
    std::vector<sparse_vector> xs;
    for (const auto& cnt : counts) xs.push_back(tfidf(cnt, idf));
    std::vector<const sparse_vector*> ptrs;
    for (const auto& x : xs) ptrs.push_back(&x);
    train_options opt;
    opt.c = cost;
    auto head = [&](auto label) {
        std::vector<int> ys;
        for (auto i : gold) ys.push_back(label(data[i]) ? 1 : 0);
        return train_head("peer", ptrs, ys, {}, opt, peer_bits);
    };
    std::vector<linear_head> verdict_heads, topic_heads;
    for (verdict v : {verdict::relevant, verdict::application, verdict::irrelevant})
        verdict_heads.push_back(head([v](const labelled_paper& lp) { return *lp.gold == v; }));
    for (const auto& t : c.topics)
        topic_heads.push_back(
            head([&t](const labelled_paper& lp) { return has(lp.topics, t.name); }));
    std::vector<prediction> out;
    for (auto i : test) {
        sparse_vector x = tfidf(gram_counts(data[i].p), idf);
        prediction p;
        double best = -1e300;
        for (std::size_t v = 0; v < 3; ++v) {
            double m = verdict_heads[v].margin(x);
            if (m > best) best = m, p.label = verdict(v);
        }
        p.relevance = logistic(verdict_heads[0].margin(x));
        for (std::size_t t = 0; t < c.topics.size(); ++t)
            if (topic_heads[t].margin(x) >= 0) p.topics.push_back(c.topics[t].name);
        out.push_back(std::move(p));
    }
    return out;
}

} // namespace sieve
