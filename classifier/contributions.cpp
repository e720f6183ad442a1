#include "classifier/contributions.hpp"

#include <algorithm>

namespace sieve {

namespace {

constexpr std::size_t max_phrase_words = 12;

// The margin of head `name` inside ts, or nullptr when ts has none for it.
double* component(text_scores& ts, std::string_view name, const model& m, const criteria& c) {
    if (name == "relevance") return &ts.relevance;
    if (name == "domain") return &ts.domain;
    if (name.starts_with("topic:")) {
        for (std::size_t t = 0; t < c.topics.size() && t < ts.topic.size(); ++t)
            if (ts.topic_known[t] && c.topics[t].name == name.substr(6)) return &ts.topic[t];
        return nullptr;
    }
    if (name.starts_with("field:")) { // ts.field follows the model's order of field heads
        std::size_t k = 0;
        for (const auto& h : m.heads) {
            if (!h.name.starts_with("field:")) continue;
            if (h.name == name) return k < ts.field.size() ? &ts.field[k] : nullptr;
            ++k;
        }
    }
    return nullptr;
}

double stage2_margin(const linear_head& h, const text_scores& ts, const analysed_paper& a,
                     const criteria& c, double text_part) {
    static const sparse_vector no_text;
    return meta_margin(h, verdict_meta_features(ts, a, c, no_text, 0.0f), text_part);
}

// Whether the text between two words keeps them in one clause.
bool joins(std::string_view gap, const token& l, const token& r) {
    if (gap.empty()) return false;
    if (std::all_of(gap.begin(), gap.end(), [](char ch) { return ch == ' '; })) return true;
    static constexpr std::string_view inside[] = {"-", "/", "'", "\u2019", "\u2010", "\u2011"};
    if (std::find(std::begin(inside), std::end(inside), gap) != std::end(inside)) return true;
    const bool number = l.term == "#";
    if (number && r.term == "#" && (gap == "." || gap == ",")) return true; // 4.38, 10,000
    static constexpr std::string_view after_number[] = {"%", "% ", "\u00d7", "\u00d7 ", "x "};
    return number && std::find(std::begin(after_number), std::end(after_number), gap) !=
                         std::end(after_number);
}

} // namespace

head_mix single_head(const text_scorer& sc, std::string_view head) {
    head_mix out;
    if (int s = sc.slot(head); s >= 0) out.terms.emplace_back(s, 1.0f);
    return out;
}

head_mix verdict_mix(const model& m, const text_scorer& sc, std::string_view meta_head,
                     const text_scores& ts, const analysed_paper& a, const criteria& c,
                     const std::vector<std::string>& through) {
    head_mix out;
    const linear_head* h = m.head(meta_head);
    if (!h) return out;
    const int meta_slot = sc.meta_slot(meta_head);
    const double text_part = meta_slot >= 0 ? ts.meta_text[std::size_t(meta_slot)] : 0.0;
    if (int s = sc.slot(meta_head); s >= 0) out.terms.emplace_back(s, 1.0f);
    const double base = stage2_margin(*h, ts, a, c, text_part);
    text_scores moved = ts;
    for (const auto& name : through) {
        const linear_head* stage1 = m.head(name);
        double* v = component(moved, name, m, c);
        const int s = sc.slot(name);
        if (!stage1 || !v || s < 0 || *v == stage1->bias) continue;
        const double was = *v;
        *v = stage1->bias;
        const double coef = (base - stage2_margin(*h, moved, a, c, text_part)) / (was - stage1->bias);
        *v = was;
        out.terms.emplace_back(s, float(coef));
    }
    return out;
}

contributions::contributions(const analysed_paper& a, const sparse_vector& x,
                             const text_scorer& sc, unsigned hash_bits,
                             const std::vector<head_mix>& mixes)
    : mixes_(mixes.size()), title_(mixes.size(), std::vector<float>(a.title.size(), 0.0f)),
      abstract_(mixes.size(), std::vector<float>(a.abstract.size(), 0.0f)) {
    text_gram_origins(a, hash_bits, grams_);
    value_.assign(grams_.size() * mixes_, 0.0f);
    for (std::size_t g = 0; g < grams_.size(); ++g) {
        const auto& o = grams_[g];
        const float* row = sc.row(o.index);
        auto at = std::lower_bound(x.index.begin(), x.index.end(), o.index);
        if (!row || at == x.index.end() || *at != o.index) continue;
        const float xv = x.value[std::size_t(at - x.index.begin())];
        for (std::size_t k = 0; k < mixes_; ++k) {
            float v = 0;
            for (const auto& [slot, coef] : mixes[k].terms) v += coef * row[slot];
            v *= xv;
            value_[g * mixes_ + k] = v;
            auto& toks = o.abstract ? abstract_[k] : title_[k];
            if (o.last - o.first == 1) {
                toks[o.first] += v;
            } else {
                toks[o.first] += v / 2;
                toks[o.last - 1] += v / 2;
            }
        }
    }
}

const std::vector<float>& contributions::tokens(std::size_t mix, bool abstract) const {
    return abstract ? abstract_[mix] : title_[mix];
}

double contributions::span(std::size_t mix, bool abstract, std::uint32_t first,
                           std::uint32_t last) const {
    double s = 0;
    for (std::size_t g = 0; g < grams_.size(); ++g) {
        const auto& o = grams_[g];
        if (o.abstract == abstract && o.first >= first && o.last <= last)
            s += value_[g * mixes_ + mix];
    }
    return s;
}

phrase_field::phrase_field(const std::vector<token>& toks, std::string_view text, bool abstract)
    : toks_(toks), text_(text), abstract_(abstract), joined_(toks.size(), false),
      tight_(toks.size(), false), taken_(toks.size(), false) {
    for (std::size_t i = 0; i + 1 < toks.size(); ++i) {
        const auto& l = toks[i];
        const auto& r = toks[i + 1];
        if (l.end <= r.begin && r.begin <= text.size()) {
            const auto gap = text.substr(l.end, r.begin - l.end);
            joined_[i] = joins(gap, l, r);
            tight_[i] = joined_[i] && gap.find(' ') == std::string_view::npos;
        }
    }
}

std::optional<phrase_span> phrase_field::best(const std::vector<float>& s, double step,
                                              double min_score) const {
    std::optional<phrase_span> out;
    double best_score = min_score;
    const std::size_t n = std::min(toks_.size(), s.size());
    // A word that carries the phrase: weighed more than it costs, not a stopword or number.
    auto carries = [&](std::size_t i) {
        return !toks_[i].stop && toks_[i].term != "#" && s[i] > step;
    };
    for (std::size_t b = 0; b < n; ++b) {
        if (taken_[b] || !carries(b)) continue;
        double sum = s[b];
        int positive = 1;
        for (std::size_t e = b + 1; e < n && e - b < max_phrase_words && joined_[e - 1] &&
                                    !taken_[e];
             ++e) {
            sum += s[e];
            if (!carries(e) || ++positive < 2) continue;
            const double score = sum - step * double(e - b + 1);
            if (score > best_score) {
                best_score = score;
                out = phrase_span{abstract_, std::uint32_t(b), std::uint32_t(e + 1), score};
            }
        }
    }
    if (!out) return out;
    // Whole written words: "KV-cache", "4.38x", "low-rank" are not cut at their hyphens.
    while (out->first > 0 && tight_[out->first - 1] && !taken_[out->first - 1] &&
           out->last - out->first < max_phrase_words)
        --out->first;
    while (out->last < n && tight_[out->last - 1] && !taken_[out->last] &&
           out->last - out->first < max_phrase_words)
        ++out->last;
    return out;
}

void phrase_field::take(const phrase_span& p) {
    for (auto i = p.first; i < p.last && i < taken_.size(); ++i) taken_[i] = true;
}

std::string_view phrase_field::quote(const phrase_span& p) const {
    const auto b = begin(p), e = end(p);
    return b < e && e <= text_.size() ? text_.substr(b, e - b) : std::string_view();
}

} // namespace sieve
