#include "classifier/stacking.hpp"

#include <algorithm>
#include <cmath>

namespace sieve {

namespace {

constexpr std::size_t kinds = 7;
constexpr std::uint32_t meta_slots = 64;

double squash(double margin) { return std::clamp(margin, -8.0, 8.0) / 4.0; }

std::array<int, kinds> kind_counts(const std::vector<phrase_match>& ms, const criteria& c,
                                   int topic = -2) {
    return match_counts(ms, c, topic);
}

sparse_vector dense(const std::vector<double>& v) {
    sparse_vector out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == 0) continue;
        out.index.push_back(static_cast<std::uint32_t>(i));
        out.value.push_back(static_cast<float>(v[i]));
    }
    return out;
}

// Appends x's features (scaled) above the meta slots.
sparse_vector with_text(sparse_vector out, const sparse_vector& x, float text_weight) {
    if (text_weight == 0) return out;
    for (std::size_t i = 0; i < x.index.size(); ++i) {
        if (x.index[i] < meta_slots) continue; // reserved for the meta features
        out.index.push_back(x.index[i]);
        out.value.push_back(x.value[i] * text_weight);
    }
    return out;
}

std::vector<double> sorted_topic_margins(const text_scores& s) {
    std::vector<double> t;
    for (std::size_t i = 0; i < s.topic.size(); ++i)
        if (s.topic_known[i]) t.push_back(s.topic[i]);
    std::sort(t.rbegin(), t.rend());
    while (t.size() < 2) t.push_back(-8);
    return t;
}

} // namespace

std::array<int, 7> match_counts(const std::vector<phrase_match>& ms, const criteria& c,
                                int topic) {
    std::array<int, kinds> n{};
    for (const auto& m : distinct_matches(ms)) {
        const auto& l = c.lines[m.line];
        if (topic == -2 || l.topic == topic) ++n[static_cast<std::size_t>(l.kind)];
    }
    return n;
}

text_scorer::text_scorer(const model& m, const criteria& c) {
    names_ = {"relevance", "domain"};
    for (const auto& t : c.topics) {
        bool known = m.head("topic:" + t.name) != nullptr;
        topic_slot_.push_back(known ? int(names_.size()) : -1);
        if (known) names_.push_back("topic:" + t.name);
    }
    fields_ = names_.size();
    for (const auto& h : m.heads)
        if (h.name.rfind("field:", 0) == 0) names_.push_back(h.name);
    stage1_ = names_.size();
    std::vector<float> scale(stage1_, 1.0f);
    const float meta_w = float(m.param("meta_text_weight", 0.0));
    const float topic_w = float(m.param("topic_text_weight", 0.0));
    for (const auto& h : m.heads) {
        if (h.name.rfind("meta:", 0) != 0) continue;
        float w = h.name.rfind("meta:topic:", 0) == 0 ? topic_w : meta_w;
        if (w == 0) continue; // no text part
        names_.push_back(h.name);
        scale.push_back(w);
    }
    stride_ = (names_.size() + 3) / 4 * 4;
    std::size_t dims = 0;
    for (const auto& n : names_)
        if (const auto* h = m.head(n)) {
            dims = std::max(dims, h->weights.size());
            for (const auto& [i, w] : h->sparse) dims = std::max(dims, std::size_t(i) + 1);
        }
    w_.assign(dims * stride_, 0.0f);
    for (std::size_t slot = 0; slot < names_.size(); ++slot) {
        const auto* h = m.head(names_[slot]);
        bias_.push_back(h && slot < stage1_ ? h->bias : 0.0);
        if (!h) continue;
        const std::size_t from = slot < stage1_ ? 0 : meta_slots;
        for (std::size_t i = from; i < h->weights.size(); ++i)
            if (h->weights[i] != 0.0f) w_[i * stride_ + slot] = h->weights[i] * scale[slot];
        for (const auto& [i, w] : h->sparse) // parse_model(text, dense_below): the rest
            if (i >= from) w_[std::size_t(i) * stride_ + slot] = w * scale[slot];
    }
}

int text_scorer::meta_slot(std::string_view head) const {
    for (std::size_t slot = stage1_; slot < names_.size(); ++slot)
        if (names_[slot] == head) return int(slot - stage1_);
    return -1;
}

int text_scorer::slot(std::string_view head) const {
    for (std::size_t s = 0; s < names_.size(); ++s)
        if (names_[s] == head) return int(s);
    return -1;
}

text_scores text_scorer::operator()(const sparse_vector& x) const {
    std::vector<double> acc(bias_);
    const std::size_t dims = stride_ ? w_.size() / stride_ : 0;
    constexpr std::size_t ahead = 16; // rows are scattered over a large table: fetch early
    for (std::size_t k = 0; k < x.index.size(); ++k) {
        if (k + ahead < x.index.size() && x.index[k + ahead] < dims)
            __builtin_prefetch(&w_[std::size_t(x.index[k + ahead]) * stride_]);
        if (x.index[k] >= dims) continue;
        const float* w = &w_[std::size_t(x.index[k]) * stride_];
        for (std::size_t slot = 0; slot < acc.size(); ++slot) acc[slot] += double(w[slot]) * x.value[k];
    }
    text_scores s;
    s.relevance = acc[0];
    s.domain = acc[1];
    for (int slot : topic_slot_) {
        s.topic.push_back(slot >= 0 ? acc[std::size_t(slot)] : 0.0);
        s.topic_known.push_back(slot >= 0);
    }
    s.field.assign(acc.begin() + std::ptrdiff_t(fields_), acc.begin() + std::ptrdiff_t(stage1_));
    s.meta_text.assign(acc.begin() + std::ptrdiff_t(stage1_), acc.end());
    return s;
}

void text_scorer::release_copied_weights(model& m) const {
    for (auto& h : m.heads) {
        auto it = std::find(names_.begin(), names_.end(), h.name);
        if (it == names_.end()) continue;
        decltype(h.sparse)().swap(h.sparse);
        if (std::size_t(it - names_.begin()) < stage1_) {
            decltype(h.weights)().swap(h.weights);
        } else if (h.weights.size() > meta_slots) {
            decltype(h.weights) keep(h.weights.begin(), h.weights.begin() + meta_slots);
            h.weights.swap(keep);
        }
    }
}

double meta_margin(const linear_head& h, const sparse_vector& meta, double text_part) {
    return h.margin(meta) + text_part;
}

sparse_vector verdict_meta_features(const text_scores& s, const analysed_paper& a,
                                    const criteria& c, const sparse_vector& x,
                                    float text_weight) {
    auto tm = sorted_topic_margins(s);
    std::vector<double> v{squash(s.relevance), squash(s.domain), squash(tm[0]), squash(tm[1])};
    auto title = kind_counts(a.title_matches, c);
    auto abstract = kind_counts(a.abstract_matches, c);
    for (std::size_t k = 0; k < kinds; ++k) {
        v.push_back(std::log1p(title[k]));
        v.push_back(std::log1p(abstract[k]));
    }
    v.push_back(a.abstract.empty() ? 1.0 : 0.0);
    v.push_back(looks_non_english(a.stats) ? 1.0 : 0.0);
    double p_rel = 1 / (1 + std::exp(-s.relevance));
    double p_top = 1 / (1 + std::exp(-tm[0]));
    v.push_back(p_rel * p_top);
    v.push_back(p_top * (1 / (1 + std::exp(-s.domain))));
    for (double f : s.field) v.push_back(squash(f));
    return with_text(dense(v), x, text_weight);
}

sparse_vector topic_meta_features(const text_scores& s, std::size_t t, const analysed_paper& a,
                                  const criteria& c, const sparse_vector& x, float text_weight) {
    double other = -8;
    for (std::size_t i = 0; i < s.topic.size(); ++i)
        if (i != t && s.topic_known[i]) other = std::max(other, s.topic[i]);
    auto title = kind_counts(a.title_matches, c, int(t));
    auto abstract = kind_counts(a.abstract_matches, c, int(t));
    auto rel = static_cast<std::size_t>(line_kind::topic_relevant);
    std::vector<double> v{squash(s.topic[t]), squash(s.relevance), squash(other),
                          squash(s.domain), std::log1p(title[rel]), std::log1p(abstract[rel])};
    return with_text(dense(v), x, text_weight);
}

} // namespace sieve
