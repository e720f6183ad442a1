#include "classifier/evidence.hpp"

#include <algorithm>

namespace sieve {

namespace {

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

void collect(const std::vector<token>& toks, const std::vector<phrase_match>& ms,
             const std::string& text, const char* field, int order, const criteria& c,
             const judgment& j, std::vector<candidate>& out) {
    for (const auto& m : ms) {
        evidence e;
        e.field = field;
        e.begin = toks[m.first_token].begin;
        e.end = toks[m.last_token - 1].end;
        if (e.end > text.size() || e.begin >= e.end) continue;
        e.quote = text.substr(e.begin, e.end - e.begin);
        e.criterion = m.line;
        out.push_back({rank(c.lines[m.line], j, c), order, e.begin, std::move(e), m.phrase});
    }
}

} // namespace

std::vector<evidence> select_evidence(const paper& p, const analysed_paper& a, const criteria& c,
                                      const judgment& j, std::size_t max_items) {
    std::vector<candidate> all;
    collect(a.title, a.title_matches, p.title, "title", 0, c, j, all);
    collect(a.abstract, a.abstract_matches, p.abstract, "abstract", 1, c, j, all);
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
