#include "classifier/evidence.hpp"

#include <algorithm>

namespace sieve {

namespace {

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

// Lower is shown first.
int rank(const criterion_line& l, const judgment& j, const criteria& c) {
    bool on_topic = l.topic >= 0 &&
                    std::find(j.topics.begin(), j.topics.end(), c.topics[l.topic].name) !=
                        j.topics.end();
    switch (j.label) {
    case verdict::relevant:
        if (l.kind == line_kind::topic_relevant) return on_topic ? 0 : 2;
        if (l.kind == line_kind::keywords_relevant) return 1;
        break;
    case verdict::application:
        if (l.kind == line_kind::keywords_application) return 0;
        if (l.kind == line_kind::topic_irrelevant) return 1;
        if (l.kind == line_kind::topic_relevant) return on_topic ? 2 : 3;
        break;
    case verdict::irrelevant:
        if (l.kind == line_kind::keywords_irrelevant) return 0;
        if (l.kind == line_kind::keywords_application) return 1;
        break;
    }
    return 4;
}

struct candidate {
    int rank;
    int field_order; // title before abstract
    std::size_t position;
    evidence ev;
    std::size_t phrase;
};

struct field_view {
    const std::vector<token>& toks;
    const std::vector<phrase_match>& matches;
    const std::string& text;
    const char* name;
    int order;
};

void collect(const field_view& f, const criteria& c, const criteria_matcher& matcher,
             const judgment& j, std::vector<candidate>& out) {
    const auto& toks = f.toks;
    const auto& text = f.text;
    for (const auto& m : f.matches) {
        if (generic_single_word(toks, m) || !matcher.written_as_phrase(m, toks, text)) continue;
        evidence e;
        e.field = f.name;
        e.begin = toks[m.first_token].begin;
        e.end = toks[m.last_token - 1].end;
        if (e.end > text.size() || e.begin >= e.end) continue;
        e.quote = text.substr(e.begin, e.end - e.begin);
        e.criterion = m.line;
        out.push_back({rank(c.lines[m.line], j, c), f.order, e.begin, std::move(e), m.phrase});
    }
}

} // namespace

std::vector<evidence> select_evidence(const paper& p, const analysed_paper& a, const criteria& c,
                                      const criteria_matcher& m, const judgment& j,
                                      std::size_t max_items) {
    std::vector<candidate> all;
    collect({a.title, a.title_matches, p.title, "title", 0}, c, m, j, all);
    collect({a.abstract, a.abstract_matches, p.abstract, "abstract", 1}, c, m, j, all);
    std::stable_sort(all.begin(), all.end(), [](const candidate& l, const candidate& r) {
        return std::tie(l.rank, l.field_order, l.position) <
               std::tie(r.rank, r.field_order, r.position);
    });
    std::vector<evidence> out;
    std::vector<std::pair<std::size_t, std::size_t>> used; // (line, phrase) shown once
    for (auto& cand : all) {
        if (out.size() >= max_items || cand.rank >= 4) break;
        std::pair key{cand.ev.criterion, cand.phrase};
        if (std::find(used.begin(), used.end(), key) != used.end()) continue;
        used.push_back(key);
        out.push_back(std::move(cand.ev));
    }
    return out;
}

} // namespace sieve
