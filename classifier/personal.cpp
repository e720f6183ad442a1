#include "classifier/personal.hpp"

#include "classifier/ascii.hpp"
#include "classifier/hash.hpp"
#include "classifier/personal_solver.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>

namespace sieve {

namespace {

std::string head_text(const char* name, const personal_head& h) {
    std::string s = std::string("head ") + name + " " + std::to_string(h.w.size()) + "\n";
    char buf[48];
    for (const auto& [i, v] : h.w) {
        std::snprintf(buf, sizeof buf, "%u %.9g\n", unsigned(i), double(v));
        s += buf;
    }
    return s;
}

std::string body_text(const personal_layer& l) {
    std::string s = "corrections " + std::to_string(l.corrections) + "\n" +
                    head_text("relevant", l.relevant) + head_text("application", l.application) +
                    "remembered " + std::to_string(l.remembered_papers.size()) + "\n";
    for (const auto& [key, v] : l.remembered_papers)
        s += hex64(key) + " " + std::string(to_string(v)) + "\n";
    s += "topics " + std::to_string(l.topics.size()) + "\n";
    for (const auto& [name, h] : l.topics) {
        const std::string head = head_text("topic", h); // "head topic <m>\n" and the weights
        s += "topic " + std::to_string(h.w.size()) + " " + name + "\n" + head.substr(head.find('\n') + 1);
    }
    return s;
}

// The layer's name hash: FNV-1a over the corrections count and every (index, weight bits) pair,
// so the same weights (as parsed back from the text form, which round-trips floats) give the
// same name, without formatting the text.
std::string weights_hash(const personal_layer& l) {
    std::uint64_t h = fnv1a64(std::to_string(l.corrections));
    for (const personal_head* head : {&l.relevant, &l.application}) {
        h = fnv1a64("|", h);
        for (const auto& [i, v] : head->w) {
            std::uint32_t bits = 0;
            static_assert(sizeof bits == sizeof v);
            std::memcpy(&bits, &v, sizeof bits);
            const std::uint64_t pair = (std::uint64_t(i) << 32) | bits;
            h = fnv1a64(std::string_view(reinterpret_cast<const char*>(&pair), sizeof pair), h);
        }
    }
    h = fnv1a64("|", h);
    for (const auto& [key, v] : l.remembered_papers)
        h = fnv1a64(hex64(key) + std::string(to_string(v)), h);
    for (const auto& [name, head] : l.topics) {
        h = fnv1a64("|" + name + "|", h);
        for (const auto& [i, v] : head.w) {
            char buf[48];
            std::snprintf(buf, sizeof buf, "%u %.9g;", unsigned(i), double(v));
            h = fnv1a64(buf, h);
        }
    }
    return hex64(h);
}

bool next_line(std::string_view& t, std::string_view& line) {
    if (t.empty()) return false;
    auto e = t.find('\n');
    if (e == std::string_view::npos) return false; // every line ends with '\n'
    line = t.substr(0, e);
    t.remove_prefix(e + 1);
    return true;
}

template <class T> bool number(std::string_view s, T& out) {
    auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// n lines "<index> <weight>", indexes increasing.
bool parse_weights(std::string_view& t, std::size_t n, personal_head& h) {
    std::string_view line;
    if (n > (std::size_t{1} << 24)) return false;
    h.w.reserve(n);
    for (std::size_t k = 0; k < n; ++k) {
        std::uint32_t i = 0;
        float v = 0;
        auto sp = std::string_view::npos;
        if (!next_line(t, line) || (sp = line.find(' ')) == std::string_view::npos ||
            !number(line.substr(0, sp), i) || !number(line.substr(sp + 1), v) ||
            !std::isfinite(v) || (!h.w.empty() && h.w.back().first >= i))
            return false;
        h.w.emplace_back(i, v);
    }
    return true;
}

bool parse_head(std::string_view& t, std::string_view name, personal_head& h) {
    std::string_view line;
    const std::string prefix = "head " + std::string(name) + " ";
    std::size_t n = 0;
    return next_line(t, line) && line.starts_with(prefix) &&
           number(line.substr(prefix.size()), n) && parse_weights(t, n, h);
}

bool parse_remembered(std::string_view& t, personal_layer& l) {
    std::string_view line;
    std::size_t n = 0;
    if (!next_line(t, line) || !line.starts_with("remembered ") || !number(line.substr(11), n) ||
        n > (std::size_t{1} << 24))
        return false;
    for (std::size_t k = 0; k < n; ++k) {
        std::uint64_t key = 0;
        if (!next_line(t, line) || line.size() < 18 || line[16] != ' ') return false;
        auto r = std::from_chars(line.data(), line.data() + 16, key, 16);
        auto v = verdict_from_string(line.substr(17));
        if (r.ec != std::errc() || r.ptr != line.data() + 16 || !v || key == 0 ||
            (!l.remembered_papers.empty() && l.remembered_papers.back().first >= key))
            return false;
        l.remembered_papers.emplace_back(key, *v);
    }
    return true;
}

// "topics <t>", then per topic "topic <m> <name>" and its m weights (names sorted, distinct).
bool parse_topics(std::string_view& t, personal_layer& l) {
    std::string_view line;
    std::size_t n = 0;
    if (!next_line(t, line) || !line.starts_with("topics ") || !number(line.substr(7), n) ||
        n > 4096)
        return false;
    for (std::size_t k = 0; k < n; ++k) {
        std::size_t m = 0, sp = 0;
        if (!next_line(t, line) || !line.starts_with("topic ") ||
            (sp = line.find(' ', 6)) == std::string_view::npos || !number(line.substr(6, sp - 6), m))
            return false;
        std::string name(line.substr(sp + 1));
        personal_head h;
        if (name.empty() || (!l.topics.empty() && l.topics.back().first >= name) ||
            !parse_weights(t, m, h))
            return false;
        l.topics.emplace_back(std::move(name), std::move(h));
    }
    return true;
}

} // namespace

std::uint64_t personal_paper_key(std::string_view title, std::string_view abstract) {
    const std::uint64_t h =
        fnv1a64(trim_ascii_space(abstract), fnv1a64("\x1f", fnv1a64(trim_ascii_space(title))));
    return h ? h : 1;
}

std::optional<verdict> personal_layer::remembered(std::uint64_t paper_key) const {
    auto it = std::lower_bound(remembered_papers.begin(), remembered_papers.end(), paper_key,
                               [](const auto& e, std::uint64_t k) { return e.first < k; });
    if (it == remembered_papers.end() || it->first != paper_key) return std::nullopt;
    return it->second;
}

double personal_layer::topic_delta(std::string_view topic, const sparse_vector& z) const {
    auto it = std::lower_bound(topics.begin(), topics.end(), topic,
                               [](const auto& e, std::string_view n) { return e.first < n; });
    return it != topics.end() && it->first == topic ? it->second.margin(z) : 0.0;
}

double personal_head::margin(const sparse_vector& z) const {
    double s = 0;
    auto it = w.begin();
    for (std::size_t k = 0; k < z.index.size() && it != w.end(); ++k) {
        it = std::lower_bound(it, w.end(), z.index[k],
                              [](const auto& e, std::uint32_t i) { return e.first < i; });
        if (it != w.end() && it->first == z.index[k]) s += double(it->second) * z.value[k];
    }
    return s;
}

namespace {
std::string concept_group(const char* group, std::optional<verdict> shipped) {
    return shipped ? std::string(group) + "@" + std::string(to_string(*shipped)) : group;
}
} // namespace

std::uint32_t personal_phrase_index(const phrase& ph, unsigned hash_bits,
                                    std::optional<verdict> shipped) {
    return feature_index(concept_group("p:phrase", shipped), lower_ascii(ph.text), hash_bits);
}

std::uint32_t personal_topic_index(std::string_view topic, unsigned hash_bits,
                                   std::optional<verdict> shipped) {
    return feature_index(concept_group("p:topic", shipped), topic, hash_bits);
}

std::string personal_layer::name() const {
    if (empty()) return "";
    return "personal " + std::to_string(corrections) + " corrections " + hash;
}

std::pair<double, double> personal_deltas(const personal_layer& l, const sparse_vector& z) {
    if (l.empty()) return {0.0, 0.0};
    return {l.relevant.margin(z), l.application.margin(z)};
}

verdict personal_verdict(const personal_layer& l, const personal_input& in) {
    if (in.paper_key)
        if (auto v = l.remembered(in.paper_key)) return *v;
    if (in.forced_irrelevant) return verdict::irrelevant;
    auto [dr, da] = personal_deltas(l, in.z);
    if (in.relevant_margin + dr >= 0) return verdict::relevant;
    if (in.application_margin + da >= 0) return verdict::application;
    return verdict::irrelevant;
}

namespace {

// One head per topic named in the examples' topic_margins, from the examples whose topics are
// known; topics whose delta has no weight are left out.
std::vector<std::pair<std::string, personal_head>>
train_topics(const std::vector<personal_example>& corrections, const personal_options& o) {
    if (!o.topics) return {};
    std::map<std::string, personal_problem> problems;
    std::map<std::string, std::size_t> contradicted;
    for (const auto& e : corrections) {
        if (!e.topics_known) continue;
        for (const auto& [name, margin] : e.in.topic_margins) {
            const bool positive = std::find(e.topics.begin(), e.topics.end(), name) != e.topics.end();
            add_personal_example(problems[name], e.in.z, margin, positive, e.weight, o);
            contradicted[name] += positive != (margin >= 0);
        }
    }
    std::vector<std::pair<std::string, personal_head>> out;
    for (auto& [name, p] : problems) {
        if (contradicted[name] < o.min_topic_contradictions) continue;
        auto h = solve_personal(std::move(p), o);
        if (!h.w.empty()) out.emplace_back(name, std::move(h));
    }
    return out;
}

} // namespace

personal_layer train_personal(const std::vector<personal_example>& corrections,
                              const personal_options& o) {
    personal_layer l;
    for (const auto& e : corrections) l.corrections += !e.anchor;
    if (l.corrections == 0) return l;
    personal_problem rel, app;
    for (const auto& e : corrections) {
        add_personal_example(rel, e.in.z, e.in.relevant_margin, e.label == verdict::relevant, e.weight, o);
        if (e.label != verdict::relevant)
            add_personal_example(app, e.in.z, e.in.application_margin, e.label == verdict::application,
                        e.weight, o);
    }
    l.relevant = solve_personal(std::move(rel), o);
    l.application = solve_personal(std::move(app), o);
    l.topics = train_topics(corrections, o);
    std::map<std::uint64_t, verdict> seen; // a paper corrected twice: its last correction
    for (const auto& e : corrections)
        if (!e.anchor && e.in.paper_key) seen[e.in.paper_key] = e.label;
    l.remembered_papers.assign(seen.begin(), seen.end());
    l.hash = weights_hash(l);
    return l;
}

double personal_agreement(const std::vector<personal_example>& corrections, int k,
                          const personal_options& o) {
    const std::size_t n = corrections.size();
    if (n < 2) return -1;
    const std::size_t folds = std::min<std::size_t>(std::size_t(std::max(k, 2)), n);
    personal_options verdicts_only = o;
    verdicts_only.topics = false;
    std::size_t agree = 0;
    std::size_t scored = 0;
    for (std::size_t f = 0; f < folds; ++f) {
        std::vector<personal_example> train;
        for (std::size_t i = 0; i < n; ++i)
            if (i % folds != f || corrections[i].anchor) train.push_back(corrections[i]);
        const personal_layer l = train_personal(train, verdicts_only);
        for (std::size_t i = f; i < n; i += folds)
            if (!corrections[i].anchor) {
                ++scored;
                agree += personal_verdict(l, corrections[i].in) == corrections[i].label;
            }
    }
    return scored ? double(agree) / double(scored) : -1;
}

std::string serialize_personal(const personal_layer& l) {
    const std::string body = body_text(l);
    return "sieve-personal " + std::to_string(personal_format) + "\nhash " +
           hex64(fnv1a64(body)) + "\n" + body;
}

boost::system::result<personal_layer, std::string> parse_personal(std::string_view text) {
    auto bad = [](std::string what) {
        return boost::system::result<personal_layer, std::string>(
            boost::system::in_place_error, "personal layer: " + what);
    };
    std::string_view t = text, line;
    if (!next_line(t, line) || !line.starts_with("sieve-personal "))
        return bad("not a personal layer");
    if (line != "sieve-personal " + std::to_string(personal_format))
        return bad("another format (" + std::string(line) + "): learn it again");
    if (!next_line(t, line) || !line.starts_with("hash ") || line.size() != 21)
        return bad("expected 'hash <16 hex digits>'");
    const std::string hash(line.substr(5));
    if (hex64(fnv1a64(t)) != hash) return bad("damaged (hash mismatch)");
    personal_layer l;
    if (!next_line(t, line) || !line.starts_with("corrections ") ||
        !number(line.substr(12), l.corrections))
        return bad("expected 'corrections <n>'");
    if (!parse_head(t, "relevant", l.relevant) || !parse_head(t, "application", l.application) ||
        !parse_remembered(t, l) || !parse_topics(t, l) || !t.empty())
        return bad("malformed head");
    l.hash = l.corrections ? weights_hash(l) : "";
    return l;
}

} // namespace sieve
