#include "classifier/classifier.hpp"

#include "classifier/evidence.hpp"
#include "classifier/fields.hpp"
#include "classifier/features.hpp"
#include "classifier/matcher.hpp"
#include "classifier/model.hpp"
#include "classifier/embedded.hpp"
#include "classifier/note.hpp"
#include "classifier/personal.hpp"
#include "classifier/stacking.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

namespace sieve {

struct judge_state {
    sieve::criteria crit;
    sieve::model mdl;
    criteria_matcher matcher;
    evidence_index ev_index;        // the criteria lines' words, for tying evidence to them
    field_model fields;             // the notes' field heads (empty: none, or another hash size)
    text_scorer score_text;         // every text head in one pass
    const linear_head* relevance;   // stage 1, corpus notion of relevant
    const linear_head* relevant;    // stage 2 verdict heads (nullptr: model has no stage 2)
    const linear_head* application;
    const linear_head* ml;          // stage 2 "is this machine learning at all?" (may be absent)
    std::vector<const linear_head*> topic_meta; // per criteria topic; nullptr: stage 1 or rule
    std::vector<double> topic_text_threshold;    // per criteria topic: its text head's threshold
    int relevant_slot = -1, application_slot = -1, ml_slot = -1; // in text_scores::meta_text
    std::vector<int> topic_meta_slot;

    judge_state(sieve::criteria c, sieve::model m, field_model f)
        : crit(std::move(c)), mdl(std::move(m)), matcher(crit), ev_index(crit),
          fields(f.hash_bits == mdl.hash_bits ? std::move(f) : field_model{}),
          score_text(mdl, crit),
          relevance(mdl.head("relevance")), relevant(mdl.head("meta:relevant")),
          application(mdl.head("meta:application")), ml(mdl.head("meta:ml")) {
        for (const auto& t : crit.topics) {
            topic_meta.push_back(mdl.head("meta:topic:" + t.name));
            topic_meta_slot.push_back(score_text.meta_slot("meta:topic:" + t.name));
            const auto* h = mdl.head("topic:" + t.name);
            topic_text_threshold.push_back(h ? h->threshold : 0.5);
        }
        relevant_slot = score_text.meta_slot("meta:relevant");
        application_slot = score_text.meta_slot("meta:application");
        ml_slot = score_text.meta_slot("meta:ml");
        score_text.release_copied_weights(mdl);
    }
};

namespace {

double logistic(double m) { return 1.0 / (1.0 + std::exp(-m)); }
double logit(double p) {
    p = std::clamp(p, 1e-12, 1 - 1e-12);
    return std::log(p / (1 - p));
}

// The probability of stage-2 head h (slot: its text part in ts, -1 for none).
double meta_probability(const linear_head& h, int slot, const sparse_vector& meta,
                        const text_scores& ts) {
    return logistic(meta_margin(h, meta, slot >= 0 ? ts.meta_text[std::size_t(slot)] : 0.0));
}

// Distinct Relevant phrases of topic t matched in ms.
int topic_hits(const criteria& c, std::size_t t, const std::vector<phrase_match>& ms) {
    return match_counts(ms, c, int(t))[static_cast<std::size_t>(line_kind::topic_relevant)];
}

// Per criteria topic, a score where 0.5 is the decision boundary: the seed-exact head where the
// model has one, else the corpus topic head, else (a topic the user added) its Relevant phrases:
// one in the title or two distinct ones in the abstract.
std::vector<std::pair<std::size_t, double>> topic_scores(const judge_state& s,
                                                         const analysed_paper& a,
                                                         const sparse_vector& x,
                                                         const text_scores& ts) {
    std::vector<std::pair<std::size_t, double>> out;
    for (std::size_t t = 0; t < s.crit.topics.size(); ++t) {
        double v = 0;
        if (const auto* h = s.topic_meta[t]) {
            auto f = topic_meta_features(ts, t, a, s.crit, x, 0.0f);
            v = meta_probability(*h, s.topic_meta_slot[t], f, ts) / (2 * h->threshold);
        } else if (ts.topic_known[t]) {
            v = logistic(ts.topic[t]) / (2 * s.topic_text_threshold[t]);
        } else {
            bool on = topic_hits(s.crit, t, a.title_matches) >= 1 ||
                      topic_hits(s.crit, t, a.abstract_matches) >= 2;
            v = on ? 0.6 : 0.2;
        }
        out.emplace_back(t, v);
    }
    return out;
}

// A topic score (0.5: the boundary) as a margin for the personal layer's topic heads.
double topic_margin(double v) { return logit(std::clamp(v, 0.001, 0.999)); }

// The scores of the topics the layer has a head for, moved by their deltas for z.
void apply_topic_deltas(std::vector<std::pair<std::size_t, double>>& tops, const criteria& c,
                        const personal_layer& l, const sparse_vector& z) {
    if (l.topics.empty()) return;
    for (auto& [t, v] : tops)
        if (const double d = l.topic_delta(c.topics[t].name, z); d != 0.0)
            v = logistic(topic_margin(v) + d);
}

int score_for(verdict v, double p_rel, double rel_threshold, double p_app) {
    auto scale = [](double x, int lo, int hi) {
        x = std::clamp(x, 0.0, 1.0);
        return lo + static_cast<int>(std::lround(x * (hi - lo)));
    };
    switch (v) {
    case verdict::relevant: return scale((p_rel - rel_threshold) / (1 - rel_threshold), 7, 10);
    case verdict::application: return scale(p_app, 3, 6);
    case verdict::irrelevant: return scale(p_rel / rel_threshold, 1, 2);
    }
    return 1;
}

// The compiled-in field heads (data/model/sieve-fields.txt); none if that file is broken (the
// ctest fields_reproducible and test_classifier catch it).
field_model embedded_fields() {
    auto f = parse_field_model(embedded_fields_text());
    return f ? std::move(*f) : field_model{};
}

// z's concept features (personal.hpp): each topic's shipped score and each criteria phrase
// found in title or abstract, and with o.shipped_copy the same again under the shipped verdict.
void add_concepts(std::vector<std::pair<std::uint32_t, float>>& z, const judge_state& s,
                  const analysed_paper& a, const std::vector<std::pair<std::size_t, double>>& tops,
                  verdict shipped, const personal_options& o) {
    const unsigned bits = s.mdl.hash_bits;
    auto add = [&](auto index_of, float v) {
        z.emplace_back(index_of(std::nullopt), v);
        if (o.shipped_copy != 0.0f) z.emplace_back(index_of(shipped), v * o.shipped_copy);
    };
    for (const auto& tv : tops) {
        const std::string& name = s.crit.topics[tv.first].name;
        add([&](std::optional<verdict> c) { return personal_topic_index(name, bits, c); },
            float(std::min(tv.second, 2.0)) * o.topic_scale);
    }
    if (o.phrase_scale == 0.0f) return;
    std::vector<const phrase*> found;
    for (const auto* ms : {&a.title_matches, &a.abstract_matches})
        for (const auto& m : *ms) found.push_back(&s.crit.lines[m.line].phrases[m.phrase]);
    std::vector<std::uint32_t> seen; // one feature per phrase text
    for (const phrase* ph : found) {
        const auto i = personal_phrase_index(*ph, bits);
        if (std::find(seen.begin(), seen.end(), i) != seen.end()) continue;
        seen.push_back(i);
        add([&](std::optional<verdict> c) { return personal_phrase_index(*ph, bits, c); },
            o.phrase_scale);
    }
}

} // namespace

boost::system::result<classifier, std::string>
classifier::create(std::string_view criteria_text, std::string_view model_text) {
    auto c = parse_criteria(criteria_text);
    if (!c) return "criteria " + c.error().what();
    auto m = parse_model(model_text, 64); // the text weights straight into the scorer's table
    if (!m) return m.error();
    return classifier(
        std::make_shared<judge_state>(std::move(*c), std::move(*m), embedded_fields()));
}

classifier classifier::from_parts(sieve::criteria c, sieve::model m) {
    return classifier(
        std::make_shared<judge_state>(std::move(c), std::move(m), embedded_fields()));
}

classifier classifier::create_default() {
    auto c = create(default_criteria_text(), embedded_model_text());
    if (!c) throw std::runtime_error("embedded criteria or model: " + c.error());
    return std::move(*c);
}

// The shipped model's reading of a paper: everything judge() and inspect() need.
struct classifier::scored {
    analysed_paper a;
    sparse_vector x;
    std::vector<gram_origin> grams; // where x's text features come from, for the evidence
    text_scores ts;
    double p_rel = 0, thr = 0.5, p_app = 0, app_thr = 0.5;
    bool outside_ml = false;        // the meta:ml head says: not machine learning
    bool unreadable_empty = false; // unreadable text with no criteria phrase: irrelevant
};

classifier::scored classifier::score(const paper& p) const {
    const judge_state& s = *state_;
    scored r;
    r.a = analyse(p, s.matcher);
    r.x = make_features(r.a, s.crit, s.mdl.hash_bits, &r.grams);
    r.ts = s.score_text(r.x);
    sparse_vector meta = verdict_meta_features(r.ts, r.a, s.crit, r.x, 0.0f);
    r.p_rel = s.relevant ? meta_probability(*s.relevant, s.relevant_slot, meta, r.ts)
                         : logistic(r.ts.relevance);
    r.thr = s.relevant ? s.relevant->threshold : s.relevance ? s.relevance->threshold : 0.5;
    r.p_app = s.application ? meta_probability(*s.application, s.application_slot, meta, r.ts)
                            : logistic(r.ts.domain);
    r.app_thr = s.application ? s.application->threshold : 0.5;
    // Not machine learning at all: never application.
    if (s.ml) {
        double p_ml = meta_probability(*s.ml, s.ml_slot, meta, r.ts);
        r.outside_ml = p_ml < s.ml->threshold;
        if (r.outside_ml) r.p_app = std::min(r.p_app, r.app_thr * p_ml / s.ml->threshold);
    }
    // Text the model cannot read (not English): relevant or application only on a criteria
    // phrase found in what it can read; otherwise nothing shows it is machine learning.
    const bool unreadable = looks_non_english(r.a.stats) ||
                            (r.a.stats.words > 0 && r.a.stats.latin * 2 < r.a.stats.words);
    r.unreadable_empty = unreadable && r.a.title_matches.empty() && r.a.abstract_matches.empty();
    return r;
}

personal_input classifier::inspect(const paper& p, const personal_options& o) const {
    scored r = score(p);
    const auto tops = topic_scores(*state_, r.a, r.x, r.ts);
    personal_input in = to_personal_input(r, tops, o);
    in.paper_key = personal_paper_key(p.title, p.abstract);
    for (const auto& [t, v] : tops) // what a topic head learns from (judging reads z alone)
        in.topic_margins.emplace_back(state_->crit.topics[t].name, topic_margin(v));
    return in;
}

personal_input classifier::to_personal_input(
    const scored& r, const std::vector<std::pair<std::size_t, double>>& tops,
    const personal_options& o) const {
    const judge_state& s = *state_;
    personal_input in;
    in.relevant_margin = logit(r.p_rel) - logit(r.thr);
    in.application_margin = logit(r.p_app) - logit(r.app_thr);
    in.forced_irrelevant = r.unreadable_empty;
    in.shipped = r.p_rel >= r.thr ? verdict::relevant
                 : r.p_app >= r.app_thr ? verdict::application : verdict::irrelevant;
    if (in.forced_irrelevant) in.shipped = verdict::irrelevant;
    std::vector<std::pair<std::uint32_t, float>> z;
    z.reserve(r.x.index.size() + s.crit.topics.size() + 1);
    for (std::size_t k = 0; k < r.x.index.size(); ++k)
        z.emplace_back(r.x.index[k], r.x.value[k] * o.text_scale);
    add_concepts(z, s, r.a, tops, in.shipped, o);
    if (o.bias != 0.0f) z.emplace_back(feature_index("p:bias", "", s.mdl.hash_bits), o.bias);
    std::sort(z.begin(), z.end());
    for (const auto& [i, v] : z) {
        if (!in.z.index.empty() && in.z.index.back() == i) { in.z.value.back() += v; continue; }
        in.z.index.push_back(i);
        in.z.value.push_back(v);
    }
    return in;
}

judgment classifier::judge(const paper& p, const personal_layer* layer) const {
    const judge_state& s = *state_;
    scored r = score(p);
    judgment j;
    j.judge = "sieve-local " + s.mdl.version;
    double p_rel = r.p_rel, p_app = r.p_app;
    const double thr = r.thr, app_thr = r.app_thr;
    if (!layer) layer = personal_.get();
    auto tops = topic_scores(s, r.a, r.x, r.ts);
    if (layer && !layer->empty()) {
        const auto z = to_personal_input(r, tops, {}).z;
        auto [dr, da] = personal_deltas(*layer, z);
        p_rel = logistic(logit(p_rel) + dr);
        p_app = logistic(logit(p_app) + da);
        apply_topic_deltas(tops, s.crit, *layer, z);
        j.judge += " + " + layer->name();
    }
    j.label = p_rel >= thr ? verdict::relevant
              : p_app >= app_thr ? verdict::application : verdict::irrelevant;
    if (r.unreadable_empty) j.label = verdict::irrelevant;
    if (layer && !layer->empty()) // a paper the user corrected gets their verdict
        if (auto v = layer->remembered(personal_paper_key(p.title, p.abstract))) j.label = *v;
    std::stable_sort(tops.begin(), tops.end(), [](auto& x, auto& y) { return x.second > y.second; });
    for (const auto& [t, v] : tops)
        if (v >= 0.5 || (j.label == verdict::relevant && j.topics.empty()))
            j.topics.push_back(s.crit.topics[t].name);
    j.relevance = p_rel;
    j.score = score_for(j.label, p_rel, thr, p_app);
    // The probability of the verdict given: relevant, else application or irrelevant.
    j.confidence = j.label == verdict::relevant      ? p_rel
                   : j.label == verdict::application ? (1 - p_rel) * p_app
                                                     : (1 - p_rel) * (1 - p_app);
    j.thin_evidence = r.a.abstract.size() < 20 || looks_non_english(r.a.stats);
    if (j.thin_evidence) j.confidence *= 0.6;
    // The field, for the notes of papers that are not relevant (those name their topics).
    field_scores fs;
    if (j.label != verdict::relevant && !s.fields.empty()) fs = s.fields.score(r.x);
    j.outside_ml = r.outside_ml && j.label == verdict::irrelevant;
    const auto field = read_field(s.fields, fs);
    j.field = note_field(field, j.label, j.outside_ml);
    j.field_read = field.name;
    j.evidence = select_evidence(p, r.a, s.crit, s.matcher, s.ev_index,
                                 model_reading{s.mdl, s.score_text, r.x, r.grams, r.ts, s.fields, fs}, j);
    j.note_html = build_note(j, s.crit, p);
    return j;
}

const sieve::criteria& classifier::active_criteria() const { return state_->crit; }
classifier::classifier(std::shared_ptr<const judge_state> s)
    : state_(std::move(s)), version_(state_->mdl.version) {}

classifier classifier::with_personal(std::shared_ptr<const personal_layer> layer) const {
    classifier c(state_);
    if (layer && !layer->empty()) {
        c.version_ += " + " + layer->name();
        c.personal_ = std::move(layer);
    }
    return c;
}

const std::string& classifier::model_version() const { return version_; }
const std::string& classifier::shipped_model_version() const { return state_->mdl.version; }

} // namespace sieve
