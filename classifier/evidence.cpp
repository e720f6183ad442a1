#include "classifier/evidence.hpp"

#include "classifier/ascii.hpp"

#include <algorithm>
#include <cmath>

namespace sieve {

namespace {

constexpr std::size_t max_quote_bytes = 160; // a phrase, not a paragraph
constexpr double field_prior_discount = 0.25; // read_field: the share of a field's prior dropped
// read_field: the least margin (logit of the probability) of a reason field's head for it to be
// named (docs/notes.md: chosen on a split of judged-2.jsonl, checked on judged.jsonl).
constexpr double reason_field_logit = -1.0;
// note_field: the least probability of the field named for an irrelevant machine-learning paper.
constexpr double min_ml_field_probability = 0.15;

std::vector<std::string> sorted_terms(std::string_view text) {
    std::vector<std::string> out;
    for (auto& t : tokenize(text))
        if (!t.stop && t.term != "#") out.push_back(std::move(t.term));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// One-word matches that say nothing about a topic on their own ("accuracy" from "trade accuracy
// for system efficiency"); they still count as features, but are not shown as evidence.
bool generic_single_word(const std::vector<token>& toks, const phrase_match& m) {
    static const std::vector<std::string> generic = [] {
        std::vector<std::string> v;
        for (const char* w : {"accuracy", "performance", "results", "data", "information",
                              "analysis", "framework", "method", "approach", "model", "system",
                              "design", "training", "learning", "algorithm", "network",
                              "evaluation", "task", "tasks", "structure", "insights"})
            v.push_back(normalise_term(w));
        return v;
    }();
    return m.last_token - m.first_token == 1 &&
           std::find(generic.begin(), generic.end(), toks[m.first_token].term) != generic.end();
}

bool kind_in(line_kind k, std::initializer_list<line_kind> kinds) {
    return std::find(kinds.begin(), kinds.end(), k) != kinds.end();
}

std::vector<std::size_t> topic_lines(const criteria& c, int topic, line_kind kind) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < c.lines.size(); ++i)
        if (c.lines[i].topic == topic && c.lines[i].kind == kind) out.push_back(i);
    return out;
}

int topic_index(const criteria& c, const std::string& name) {
    for (std::size_t t = 0; t < c.topics.size(); ++t)
        if (c.topics[t].name == name) return int(t);
    return -1;
}

// How a group of phrases is chosen, reported and tied to the criteria.
struct role {
    std::string supports;            // the head named in the evidence
    std::size_t mix = 0;             // its mix: the evidence's weight
    double sign = 1;                 // +1: weighed for the head, -1: against it
    int topic = -1;                  // >= 0: tie to this topic's Relevant lines
    std::initializer_list<line_kind> kinds = {}; // else: tie to a contained match of these kinds
};

class chooser {
public:
    chooser(const paper& p, const analysed_paper& a, const criteria& c,
            const criteria_matcher& m, const evidence_index& ix, std::size_t max_items)
        : a_(a), c_(c), m_(m), ix_(ix), max_(max_items), title_(a.title, p.title, false),
          abstract_(a.abstract, p.abstract, true) {}

    bool full() const { return out.size() >= max_; }

    // Up to n phrases best under per-token scores (title, abstract), reported under r.
    void phrases(const contributions& w, std::span<const float> ts, std::span<const float> as,
                 std::size_t n, const role& r) {
        float top = 0;
        for (const auto v : {ts, as})
            for (float s : v) top = std::max(top, s);
        if (top <= 0) return;
        const double step = 0.12 * top, floor = 0.3 * top;
        auto t = title_.best(ts, step, floor);
        auto b = abstract_.best(as, step, floor);
        for (std::size_t added = 0, tries = 0; added < n && !full() && tries < 3 * n; ++tries) {
            const bool use_title = t && (!b || t->score >= b->score);
            if (!use_title && !b) return;
            phrase_field& f = use_title ? title_ : abstract_;
            const phrase_span sp = use_title ? *t : *b;
            f.take(sp); // only that field's best changes
            if (use_title) t = title_.best(ts, step, floor);
            else b = abstract_.best(as, step, floor);
            const double weight = w.span(r.mix, f.abstract(), sp.first, sp.last);
            if (weight * r.sign <= 0) continue;
            added += push(f, sp.first, sp.last, tie(f, sp.first, sp.last, r), r.supports, weight);
        }
    }

    // Criteria phrase matches of lines of `kinds` (whole phrases, no lone generic word), at
    // most n, each distinct phrase once; weight from mix `mix` of w when given.
    void matches(std::initializer_list<line_kind> kinds, std::size_t n, const contributions* w,
                 std::size_t mix, const std::string& supports) {
        std::vector<std::pair<std::size_t, std::size_t>> seen;
        for (auto* f : {&title_, &abstract_}) {
            for (const auto& mt : f->abstract() ? a_.abstract_matches : a_.title_matches) {
                if (n == 0 || full()) return;
                const auto& toks = f->toks();
                if (!kind_in(c_.lines[mt.line].kind, kinds) || generic_single_word(toks, mt) ||
                    !m_.written_as_phrase(mt, toks, f->whole()))
                    continue;
                std::pair key{mt.line, mt.phrase};
                if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
                seen.push_back(key);
                const auto first = std::uint32_t(mt.first_token), last = std::uint32_t(mt.last_token);
                const double weight = w ? w->span(mix, f->abstract(), first, last) : 0.0;
                if (push(*f, first, last, mt.line, w ? supports : std::string(), weight)) --n;
            }
        }
    }

    std::vector<evidence> out;

private:
    // The criteria line a phrase of role r supports.
    std::size_t tie(const phrase_field& f, std::uint32_t first, std::uint32_t last,
                    const role& r) const {
        std::initializer_list<line_kind> rel = {line_kind::topic_relevant};
        const auto kinds = r.topic >= 0 ? rel : r.kinds;
        for (const auto& mt : f.abstract() ? a_.abstract_matches : a_.title_matches) {
            const auto& l = c_.lines[mt.line];
            if (mt.first_token >= first && mt.last_token <= last && kind_in(l.kind, kinds) &&
                (r.topic < 0 || l.topic == r.topic) &&
                m_.written_as_phrase(mt, f.toks(), f.whole()))
                return mt.line;
        }
        if (r.topic < 0) return no_criterion;
        const auto lines = topic_lines(c_, r.topic, line_kind::topic_relevant);
        return lines.empty() ? no_criterion : ix_.closest(lines, f.toks(), first, last);
    }

    // Adds the quote unless it (or one containing it, or one it contains) is already shown.
    bool push(const phrase_field& f, std::uint32_t first, std::uint32_t last, std::size_t line,
              const std::string& supports, double weight) {
        const phrase_span sp{f.abstract(), first, last, 0};
        const std::string_view q = f.quote(sp);
        if (q.empty() || q.size() > max_quote_bytes) return false;
        const std::string lq = lower_ascii(q);
        for (const auto& e : out) {
            const std::string le = lower_ascii(e.quote);
            if (le.find(lq) != std::string::npos || lq.find(le) != std::string::npos)
                return false;
        }
        evidence e;
        e.field = f.abstract() ? "abstract" : "title";
        e.begin = f.begin(sp);
        e.end = f.end(sp);
        e.quote = std::string(q);
        e.criterion = line;
        e.supports = supports;
        e.weight = std::round(weight * 1000) / 1000;
        out.push_back(std::move(e));
        return true;
    }

    const analysed_paper& a_;
    const criteria& c_;
    const criteria_matcher& m_;
    const evidence_index& ix_;
    std::size_t max_;
    phrase_field title_, abstract_;
};

std::vector<float> sum(std::span<const float> l, std::span<const float> r, float k = 1) {
    std::vector<float> out(l.begin(), l.end());
    for (std::size_t i = 0; i < out.size() && i < r.size(); ++i) out[i] += k * r[i];
    return out;
}

std::vector<float> negated(std::span<const float> v) {
    std::vector<float> out(v.begin(), v.end());
    for (auto& f : out) f = -f;
    return out;
}

constexpr auto relevant_kinds = {line_kind::topic_relevant, line_kind::keywords_relevant,
                                 line_kind::topic_goal};
constexpr auto application_kinds = {line_kind::keywords_application,
                                    line_kind::topic_irrelevant};
constexpr auto irrelevant_kinds = {line_kind::keywords_irrelevant};

// The stage-1 heads a verdict head's contributions are read through: the corpus relevance and
// domain heads (topics have mixes of their own).
const std::vector<std::string>& stage1_names() {
    static const std::vector<std::string> names = {"relevance", "domain"};
    return names;
}

// The field head of the field read (fields.hpp) as a mix; empty when none was read.
head_mix field_mix(const model_reading& r) {
    head_mix m;
    const auto f = read_field(r.fields, r.field);
    if (!f.name.empty()) m.extra = r.fields.weights(r.x, r.field, f.index);
    return m;
}

struct inputs {
    const analysed_paper& a;
    const criteria& c;
    const model_reading& r;
    const judgment& j;
};

void explain_relevant(const inputs& in, chooser& ch) {
    const auto& r = in.r;
    std::vector<head_mix> mixes = {
        verdict_mix(r.mdl, r.scorer, "meta:relevant", r.scores, in.a, in.c, stage1_names())};
    std::vector<int> topics;
    for (const auto& name : in.j.topics)
        if (topics.size() < 2) {
            topics.push_back(topic_index(in.c, name));
            mixes.push_back(single_head(r.scorer, "topic:" + name));
        }
    const contributions w(r.grams, r.x, r.scorer, mixes, in.a.title.size(), in.a.abstract.size());
    for (std::size_t k = 0; k < topics.size(); ++k) {
        if (topics[k] < 0) continue;
        const role rl{"topic:" + in.c.topics[std::size_t(topics[k])].name, k + 1, 1, topics[k]};
        ch.phrases(w, sum(w.tokens(k + 1, false), w.tokens(0, false)),
                   sum(w.tokens(k + 1, true), w.tokens(0, true)), k == 0 ? 2 : 1, rl);
    }
    const role v{"meta:relevant", 0, 1, topics.empty() ? -1 : topics.front(), relevant_kinds};
    ch.phrases(w, w.tokens(0, false), w.tokens(0, true), 2, v);
}

void explain_application(const inputs& in, chooser& ch) {
    const auto& r = in.r;
    std::vector<head_mix> mixes = {verdict_mix(r.mdl, r.scorer, "meta:application", r.scores,
                                               in.a, in.c, stage1_names()),
                                   field_mix(r)};
    if (!in.j.topics.empty()) mixes.push_back(single_head(r.scorer, "topic:" + in.j.topics[0]));
    const contributions w(r.grams, r.x, r.scorer, mixes, in.a.title.size(), in.a.abstract.size());
    if (!in.j.field.empty())
        ch.phrases(w, sum(w.tokens(1, false), w.tokens(0, false)),
                   sum(w.tokens(1, true), w.tokens(0, true)), 2,
                   {"field:" + in.j.field, 1, 1, -1, application_kinds});
    ch.phrases(w, w.tokens(0, false), w.tokens(0, true), 2,
               {"meta:application", 0, 1, -1, application_kinds});
    ch.matches({line_kind::keywords_application}, 1, &w, 0, "meta:application");
    if (mixes.size() > 2)
        ch.phrases(w, w.tokens(2, false), w.tokens(2, true), 1,
                   {"topic:" + in.j.topics[0], 2, 1, topic_index(in.c, in.j.topics[0])});
}

void explain_irrelevant(const inputs& in, chooser& ch) {
    const auto& r = in.r;
    std::vector<head_mix> mixes = {
        verdict_mix(r.mdl, r.scorer, "meta:relevant", r.scores, in.a, in.c, stage1_names()),
        field_mix(r)};
    if (in.j.outside_ml)
        mixes.push_back(
            verdict_mix(r.mdl, r.scorer, "meta:ml", r.scores, in.a, in.c, stage1_names()));
    const contributions w(r.grams, r.x, r.scorer, mixes, in.a.title.size(), in.a.abstract.size());
    ch.matches(irrelevant_kinds, 2, &w, 0, "meta:relevant");
    const role field{"field:" + in.j.field, 1, 1, -1, irrelevant_kinds};
    if (in.j.outside_ml) {
        if (!in.j.field.empty()) ch.phrases(w, w.tokens(1, false), w.tokens(1, true), 2, field);
        ch.phrases(w, negated(w.tokens(2, false)), negated(w.tokens(2, true)), 2,
                   {"meta:ml", 2, -1, -1, irrelevant_kinds});
        return;
    }
    ch.phrases(w, negated(w.tokens(0, false)), negated(w.tokens(0, true)), 3,
               {"meta:relevant", 0, -1, -1, irrelevant_kinds});
    if (!in.j.field.empty()) ch.phrases(w, w.tokens(1, false), w.tokens(1, true), 1, field);
}

} // namespace

evidence_index::evidence_index(const criteria& c) {
    for (const auto& l : c.lines) {
        std::string words;
        for (const auto& p : l.phrases)
            for (const auto& al : p.aliases) words += al + " ";
        phrase_terms_.push_back(sorted_terms(words));
        text_terms_.push_back(sorted_terms(l.text));
    }
}

std::size_t evidence_index::closest(const std::vector<std::size_t>& lines,
                                    const std::vector<token>& toks, std::uint32_t first,
                                    std::uint32_t last) const {
    std::vector<std::string> span;
    for (auto i = first; i < last && i < toks.size(); ++i)
        if (!toks[i].stop && toks[i].term != "#") span.push_back(toks[i].term);
    std::sort(span.begin(), span.end());
    span.erase(std::unique(span.begin(), span.end()), span.end());
    auto shared = [&](const std::vector<std::string>& terms) {
        std::size_t n = 0;
        for (const auto& t : span) n += std::binary_search(terms.begin(), terms.end(), t);
        return n;
    };
    std::size_t best = lines.empty() ? no_criterion : lines.front(), best_n = 0;
    for (auto l : lines) {
        if (l >= phrase_terms_.size()) continue;
        const std::size_t n = 2 * shared(phrase_terms_[l]) + shared(text_terms_[l]);
        if (n > best_n) best = l, best_n = n;
    }
    return best;
}

field_reading read_field(const field_model& fm, const field_scores& s) {
    field_reading out;
    const std::size_t n = std::min({s.margin.size(), fm.names.size(), fm.from_reasons.size()});
    auto pick = [&](std::size_t f) {
        out.name = fm.names[f];
        out.index = f;
        out.probability = 1 / (1 + std::exp(-s.margin[f]));
    };
    // A reason field (the domain the judges would name) when its head is confident enough.
    std::size_t best = n;
    for (std::size_t f = 0; f < n; ++f)
        if (fm.from_reasons[f] && (best == n || s.margin[f] > s.margin[best])) best = f;
    if (best < n && s.margin[best] >= reason_field_logit) {
        pick(best);
        return out;
    }
    // Else the category fields, ranked by the margin less a quarter of the head's bias (its
    // prior): the big fields (vision, language) win less often on their base rate alone; on
    // validation.jsonl this named one of the paper's own arXiv fields for 80.0 % of application
    // papers, not 78.2 % (docs/notes.md).
    auto rank = [&](std::size_t f) { return s.margin[f] - field_prior_discount * fm.bias[f]; };
    best = n;
    for (std::size_t f = 0; f < n; ++f)
        if (!fm.from_reasons[f] && (best == n || rank(f) > rank(best))) best = f;
    if (best < n) pick(best);
    return out;
}

std::string note_field(const field_reading& f, verdict label, bool outside_ml) {
    if (label == verdict::relevant) return {};
    // Machine-learning work outside the topics is named a field only when the heads are fairly
    // sure: below this, most fields named on validation.jsonl were none of the paper's own, and
    // over half of those papers had only ML-core categories (docs/notes.md).
    if (label == verdict::irrelevant && !outside_ml && f.probability < min_ml_field_probability)
        return {};
    return f.name;
}

std::vector<evidence> select_evidence(const paper& p, const analysed_paper& a, const criteria& c,
                                      const criteria_matcher& m, const evidence_index& ix,
                                      const model_reading& r, const judgment& j,
                                      std::size_t max_items) {
    chooser ch(p, a, c, m, ix, max_items);
    const inputs in{a, c, r, j};
    switch (j.label) {
    case verdict::relevant: explain_relevant(in, ch); break;
    case verdict::application: explain_application(in, ch); break;
    case verdict::irrelevant: explain_irrelevant(in, ch); break;
    }
    if (ch.out.empty()) { // nothing the model weighed shows: the criteria phrases found
        switch (j.label) {
        case verdict::relevant: ch.matches(relevant_kinds, max_items, nullptr, 0, {}); break;
        case verdict::application: ch.matches(application_kinds, max_items, nullptr, 0, {}); break;
        case verdict::irrelevant: ch.matches(irrelevant_kinds, max_items, nullptr, 0, {}); break;
        }
    }
    return std::move(ch.out);
}

} // namespace sieve
