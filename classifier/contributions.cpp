#include "classifier/contributions.hpp"

#include "classifier/text.hpp"

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
    if (gap.size() == 1 && gap[0] == ' ') return true; // the common case
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

contributions::contributions(const std::vector<gram_origin>& grams, const sparse_vector& x,
                             const text_scorer& sc, const std::vector<head_mix>& mixes,
                             std::size_t title_tokens, std::size_t abstract_tokens)
    : grams_(grams), mixes_(mixes.size()), title_n_(title_tokens), abstract_n_(abstract_tokens),
      at_(grams.size(), -1), tokens_(mixes.size() * (title_tokens + abstract_tokens), 0.0f) {
    for (std::size_t g = 0; g < grams_.size(); ++g)
        if (g == 0 || grams_[g].abstract != grams_[g - 1].abstract ||
            grams_[g].last < grams_[g - 1].last)
            runs_.push_back(std::uint32_t(g));
    runs_.push_back(std::uint32_t(grams_.size()));
    if (mixes_ == 0) return;
    struct term { std::size_t slot, mix; float coef; };
    std::vector<term> terms;
    for (std::size_t k = 0; k < mixes_; ++k)
        for (const auto& [slot, coef] : mixes[k].terms) terms.push_back({std::size_t(slot), k, coef});
    // Every feature's contribution to every mix, once (rows were just read by the scorer).
    feature_.assign(x.index.size() * mixes_, 0.0f);
    // Per position in x: whether some mix weighs it (only the first 65,534 such count, as when
    // a table of 16-bit positions found them).
    std::vector<std::uint8_t> weighed(x.index.size(), 0);
    std::size_t n_weighed = 0;
    constexpr std::size_t ahead = 16; // the rows are scattered over the scorer's large table
    for (std::size_t i = 0; i < x.index.size(); ++i) {
        if (i + ahead < x.index.size())
            if (const float* next = sc.row(x.index[i + ahead])) __builtin_prefetch(next);
        float* out = &feature_[i * mixes_];
        for (std::size_t k = 0; k < mixes_; ++k)
            if (i < mixes[k].extra.size()) out[k] = mixes[k].extra[i];
        if (const float* row = sc.row(x.index[i]))
            for (const auto& t : terms) out[t.mix] += t.coef * row[t.slot];
        bool any = false;
        for (std::size_t k = 0; k < mixes_; ++k) any = (out[k] *= x.value[i]) != 0.0f || any;
        if (any && n_weighed < 0xFFFE) weighed[i] = 1, ++n_weighed;
    }
    const std::size_t stride = title_n_ + abstract_n_;
    for (std::size_t g = 0; g < grams_.size(); ++g) {
        const auto& o = grams_[g];
        const std::size_t base = o.abstract ? title_n_ : 0;
        const std::size_t pos = o.at;
        if (pos >= x.index.size() || x.index[pos] != o.index || !weighed[pos] ||
            o.last > (o.abstract ? abstract_n_ : title_n_))
            continue;
        at_[g] = std::int32_t(pos);
        const float* v = &feature_[pos * mixes_];
        const bool bigram = o.last - o.first > 1;
        for (std::size_t k = 0; k < mixes_; ++k) {
            float* t = &tokens_[k * stride + base];
            if (bigram) {
                t[o.first] += v[k] / 2;
                t[o.last - 1] += v[k] / 2;
            } else {
                t[o.first] += v[k];
            }
        }
    }
}

std::span<const float> contributions::tokens(std::size_t mix, bool abstract) const {
    const std::size_t stride = title_n_ + abstract_n_;
    if (mix >= mixes_) return {};
    return {tokens_.data() + mix * stride + (abstract ? title_n_ : 0),
            abstract ? abstract_n_ : title_n_};
}

double contributions::span(std::size_t mix, bool abstract, std::uint32_t first,
                           std::uint32_t last) const {
    // An n-gram within [first, last) ends in [first + 1, last]: in each run (grams of one field
    // in order of their ends) those are one stretch, summed in the grams' order as before.
    double s = 0;
    for (std::size_t r = 0; r + 1 < runs_.size(); ++r) {
        const auto b = grams_.begin() + std::ptrdiff_t(runs_[r]);
        const auto e = grams_.begin() + std::ptrdiff_t(runs_[r + 1]);
        if (b->abstract != abstract) continue;
        auto g = std::partition_point(b, e, [&](const gram_origin& o) { return o.last <= first; });
        for (; g != e && g->last <= last; ++g) {
            const auto k = std::size_t(g - grams_.begin());
            if (at_[k] >= 0 && g->first >= first)
                s += feature_[std::size_t(at_[k]) * mixes_ + mix];
        }
    }
    return s;
}

phrase_field::phrase_field(const std::vector<token>& toks, std::string_view text, bool abstract)
    : toks_(toks), text_(text), abstract_(abstract), joined_(toks.size(), 0),
      tight_(toks.size(), 0), content_(toks.size(), 0), taken_(toks.size(), 0) {
    for (std::size_t i = 0; i < toks.size(); ++i)
        content_[i] = !toks[i].stop && !(toks[i].term.size() == 1 && toks[i].term[0] == '#');
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

std::optional<phrase_span> phrase_field::best(std::span<const float> s, double step,
                                              double min_score) const {
    std::optional<phrase_span> out;
    double best_score = min_score;
    const std::size_t n = std::min(toks_.size(), s.size());
    // A word that carries the phrase: weighed more than it costs, not a stopword or number.
    auto carries = [&](std::size_t i) { return s[i] > step && content_[i]; };
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
    finish(*out, s);
    return out;
}

void phrase_field::finish(phrase_span& p, std::span<const float> s) const {
    static const std::vector<std::string> dangling = [] {
        std::vector<std::string> v;
        for (const char* w : {"via", "using", "based", "toward", "towards", "through", "across",
                              "within", "without", "against", "versus", "vs", "including", "such",
                              "among", "beyond", "along", "upon", "onto"})
            v.push_back(normalise_term(w));
        return v;
    }();
    auto loose = [&](std::size_t i) {
        return std::find(dangling.begin(), dangling.end(), toks_[i].term) != dangling.end();
    };
    while (p.last - p.first > 2 && loose(p.last - 1) && !tight_[p.last - 2]) --p.last;
    while (p.last - p.first > 2 && loose(p.first) && !tight_[p.first]) ++p.first;
    const std::size_t n = std::min(toks_.size(), s.size());
    if (p.last >= n || p.last - p.first >= max_phrase_words || !joined_[p.last - 1] ||
        !content_[p.last] || taken_[p.last] || s[p.last] < 0 || loose(p.last))
        return;
    ++p.last;
    while (p.last < n && tight_[p.last - 1] && !taken_[p.last] && p.last - p.first < max_phrase_words)
        ++p.last;
}

void phrase_field::take(const phrase_span& p) {
    for (auto i = p.first; i < p.last && i < taken_.size(); ++i) taken_[i] = 1;
}

std::string_view phrase_field::quote(const phrase_span& p) const {
    const auto b = begin(p), e = end(p);
    return b < e && e <= text_.size() ? text_.substr(b, e - b) : std::string_view();
}

} // namespace sieve
