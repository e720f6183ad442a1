#include "classifier/fields.hpp"

#include "classifier/field_reasons.hpp"
#include "classifier/hash.hpp"
#include "classifier/trainer.hpp"
#include "classifier/training.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <thread>

namespace sieve {

namespace {

struct group {
    const char* name;
    // Owned copies: an initializer_list member would dangle once the table is built (its
    // backing array lives only as long as the braced list's full-expression).
    std::vector<std::string_view> exact;    // categories
    std::vector<std::string_view> prefixes; // archive prefixes ("astro-ph")
};

// Order matters: the first group that claims a category gets it.
const std::vector<group>& groups() {
    static const std::vector<group> g = {
        {"Computer Vision", {"cs.CV", "cs.GR", "cs.MM", "eess.IV"}, {}},
        {"Natural Language Processing", {"cs.CL"}, {}},
        {"Speech and Audio", {"cs.SD", "eess.AS"}, {}},
        {"Signal Processing and Communications", {"eess.SP", "cs.IT", "math.IT"}, {}},
        {"Robotics", {"cs.RO"}, {}},
        {"Control Systems", {"eess.SY", "cs.SY"}, {}},
        {"Optimization", {"math.OC"}, {}},
        {"Security and Privacy", {"cs.CR"}, {}},
        {"Software Engineering and Programming Languages",
         {"cs.SE", "cs.PL", "cs.LO", "cs.FL", "cs.MS"}, {}},
        {"Distributed and Parallel Computing", {"cs.DC", "cs.PF", "cs.OS"}, {}},
        {"Computer Hardware", {"cs.AR", "cs.ET"}, {}},
        {"Networking", {"cs.NI"}, {}},
        {"Databases", {"cs.DB"}, {}},
        {"Information Retrieval and Recommendation", {"cs.IR", "cs.DL"}, {}},
        {"Human-Computer Interaction", {"cs.HC"}, {}},
        {"Computers and Society", {"cs.CY"}, {}},
        {"Social and Information Networks", {"cs.SI", "physics.soc-ph"}, {}},
        {"Multi-Agent Systems and Game Theory", {"cs.MA", "cs.GT", "econ.TH"}, {}},
        {"Economics and Finance", {}, {"econ.", "q-fin."}},
        {"Neuroscience", {"q-bio.NC"}, {}},
        {"Biology", {}, {"q-bio."}},
        {"Medicine and Health", {"physics.med-ph"}, {}},
        {"Chemistry and Materials",
         {"physics.chem-ph", "cond-mat.mtrl-sci", "cond-mat.soft"}, {}},
        {"Quantum Computing", {"quant-ph"}, {}},
        {"Earth and Climate Science", {"physics.ao-ph", "physics.geo-ph", "physics.space-ph"}, {}},
        {"Astronomy", {}, {"astro-ph"}},
        {"Scientific Computing and Engineering",
         {"cs.CE", "physics.comp-ph", "physics.flu-dyn", "math.NA", "cs.NA"}, {}},
        {"Physics", {"math-ph", "gr-qc"}, {"physics.", "cond-mat", "hep-", "nucl-", "nlin."}},
        {"Statistics", {"stat.ME", "stat.AP", "stat.TH", "stat.CO", "math.ST"}, {}},
        {"Algorithms and Theory of Computing",
         {"cs.DS", "cs.CC", "cs.DM", "cs.CG", "cs.SC"}, {}},
        {"Mathematics", {}, {"math."}},
    };
    return g;
}

template <class T> bool parse_number(std::string_view s, T& out) {
    auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

std::vector<std::string_view> split_tabs(std::string_view line) {
    std::vector<std::string_view> parts;
    for (std::size_t p = 0;;) {
        auto e = line.find('\t', p);
        parts.push_back(line.substr(p, e == std::string_view::npos ? e : e - p));
        if (e == std::string_view::npos) return parts;
        p = e + 1;
    }
}

using triple = std::pair<std::uint32_t, std::pair<std::uint32_t, float>>; // index, (field, w)

void build_rows(std::vector<triple>& all, unsigned bits, std::vector<std::uint32_t>& start,
                std::vector<std::pair<std::uint32_t, float>>& entries) {
    std::sort(all.begin(), all.end(), [](const triple& l, const triple& r) {
        return std::tie(l.first, l.second.first) < std::tie(r.first, r.second.first);
    });
    const std::size_t n = std::size_t{1} << bits;
    start.assign(n + 1, 0);
    entries.clear();
    entries.reserve(all.size());
    std::size_t k = 0;
    for (std::size_t i = 0; i < n; ++i) {
        start[i] = std::uint32_t(entries.size());
        for (; k < all.size() && all[k].first == i; ++k) entries.push_back(all[k].second);
    }
    start[n] = std::uint32_t(entries.size());
}

} // namespace

const std::vector<std::string>& note_field_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const auto& g : groups()) v.emplace_back(g.name);
        return v;
    }();
    return names;
}

int note_field_of(std::string_view cat) {
    const auto& gs = groups();
    for (std::size_t f = 0; f < gs.size(); ++f) {
        if (std::find(gs[f].exact.begin(), gs[f].exact.end(), cat) != gs[f].exact.end())
            return int(f);
        for (auto p : gs[f].prefixes)
            if (cat.substr(0, p.size()) == p) return int(f);
    }
    return -1;
}

field_scores field_model::score(const sparse_vector& x) const {
    // Two passes, each prefetching a few features ahead: the row starts and the rows are
    // scattered over megabytes, so a plain loop waits on a cache miss per feature.
    constexpr std::size_t ahead = 40;
    field_scores s;
    s.margin = bias;
    s.at.assign(x.index.size(), {0, 0});
    const std::size_t n = x.index.size(), rows = start_.empty() ? 0 : start_.size() - 1;
    for (std::size_t i = 0; i < n; ++i) {
        if (i + ahead < n && x.index[i + ahead] < rows) __builtin_prefetch(&start_[x.index[i + ahead]]);
        if (x.index[i] < rows) s.at[i] = {start_[x.index[i]], start_[x.index[i] + 1]};
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (i + ahead < n && s.at[i + ahead].first < s.at[i + ahead].second)
            __builtin_prefetch(&entries_[s.at[i + ahead].first]);
        for (auto k = s.at[i].first; k < s.at[i].second; ++k)
            s.margin[entries_[k].first] += double(entries_[k].second) * x.value[i];
    }
    return s;
}

std::vector<float> field_model::weights(const sparse_vector& x, const field_scores& s,
                                        std::size_t f) const {
    std::vector<float> out(x.index.size(), 0.0f);
    for (std::size_t i = 0; i < s.at.size() && i < out.size(); ++i)
        for (auto k = s.at[i].first; k < s.at[i].second && entries_[k].first <= f; ++k)
            if (entries_[k].first == f) out[i] = entries_[k].second; // rows are in field order
    return out;
}

field_model field_model::from_heads(const std::vector<linear_head>& heads,
                                    const std::vector<bool>& from_reasons, unsigned bits) {
    field_model m;
    m.hash_bits = bits;
    std::vector<triple> all;
    for (const auto& h : heads) {
        const auto f = std::uint32_t(m.names.size());
        m.names.push_back(h.name);
        m.bias.push_back(h.bias);
        m.from_reasons.push_back(f < from_reasons.size() && from_reasons[f]);
        for (std::size_t i = 0; i < h.weights.size(); ++i)
            if (h.weights[i] != 0.0f) all.push_back({std::uint32_t(i), {f, h.weights[i]}});
    }
    build_rows(all, bits, m.start_, m.entries_);
    return m;
}

std::string field_model::serialize() const {
    std::vector<std::vector<std::pair<std::uint32_t, float>>> by_field(names.size());
    for (std::size_t index = 0; index + 1 < start_.size(); ++index)
        for (auto k = start_[index]; k < start_[index + 1]; ++k)
            by_field[entries_[k].first].emplace_back(std::uint32_t(index), entries_[k].second);
    std::string body = "hash_bits " + std::to_string(hash_bits) + "\n";
    char buf[64];
    for (std::size_t f = 0; f < names.size(); ++f) {
        std::snprintf(buf, sizeof buf, "\t%.9g\t", bias[f]);
        body += "field\t" + names[f] + buf + std::to_string(by_field[f].size()) +
                (from_reasons[f] ? "\treasons\n" : "\tcategories\n");
        for (const auto& [i, w] : by_field[f]) {
            std::snprintf(buf, sizeof buf, "%u %.9g\n", i, double(w));
            body += buf;
        }
    }
    return "sieve-fields 2\nversion " + hex64(fnv1a64(body)) + "\n" + body;
}

boost::system::result<field_model, std::string> parse_field_model(std::string_view text) {
    field_model m;
    std::size_t pos = 0, no = 0;
    std::string_view line;
    auto next = [&] {
        if (pos >= text.size()) return false;
        auto e = text.find('\n', pos);
        if (e == std::string_view::npos) e = text.size();
        line = text.substr(pos, e - pos);
        pos = e + 1;
        ++no;
        return true;
    };
    auto error = [&](std::string_view what) {
        return boost::system::result<field_model, std::string>(
            boost::system::in_place_error, "fields line " + std::to_string(no) + ": " + std::string(what));
    };
    if (!next() || line != "sieve-fields 2") return error("not a sieve fields file (version 2)");
    if (!next() || !line.starts_with("version ")) return error("expected 'version'");
    m.version = std::string(line.substr(8));
    if (!next() || !line.starts_with("hash_bits ") || !parse_number(line.substr(10), m.hash_bits) ||
        m.hash_bits < 8 || m.hash_bits > 24)
        return error("expected 'hash_bits <8..24>'");
    std::vector<triple> all;
    while (next()) {
        if (line.empty()) continue;
        const auto parts = split_tabs(line);
        double b = 0;
        std::size_t n = 0;
        if (parts.size() != 5 || parts[0] != "field" || parts[1].empty() ||
            !parse_number(parts[2], b) || !parse_number(parts[3], n) ||
            (parts[4] != "categories" && parts[4] != "reasons"))
            return error("expected 'field<TAB>name<TAB>bias<TAB>count<TAB>categories|reasons'");
        const auto f = std::uint32_t(m.names.size());
        m.names.emplace_back(parts[1]);
        m.bias.push_back(b);
        m.from_reasons.push_back(parts[4] == "reasons");
        for (std::size_t k = 0; k < n; ++k) {
            std::uint32_t idx = 0;
            float w = 0;
            std::size_t sp = 0;
            if (!next() || (sp = line.find(' ')) == std::string_view::npos ||
                !parse_number(line.substr(0, sp), idx) || !parse_number(line.substr(sp + 1), w) ||
                idx >= (std::size_t{1} << m.hash_bits))
                return error("expected '<index> <weight>'");
            all.push_back({idx, {f, w}});
        }
    }
    build_rows(all, m.hash_bits, m.start_, m.entries_);
    return m;
}

namespace {

// One labelling: the papers' features and, per field, their 0/1 labels.
struct field_labels {
    std::vector<const sparse_vector*> xs;
    std::vector<std::vector<int>> ys;
};

field_labels category_labels(const std::vector<labelled_paper>& d,
                             const std::vector<sparse_vector>& x,
                             const std::vector<std::size_t>& use) {
    field_labels l;
    l.ys.resize(note_field_names().size());
    for (auto i : use) {
        // Every paper with categories: the labels are the categories, not the verdicts; the
        // papers from outside the ML listings (judged-2's `wild`) teach the fields of a real
        // library's non-ML items (codes, number theory, astrophysics, ...).
        if (d[i].categories.empty()) continue;
        l.xs.push_back(&x[i]);
        for (std::size_t f = 0; f < l.ys.size(); ++f)
            l.ys[f].push_back(std::any_of(d[i].categories.begin(), d[i].categories.end(),
                                          [f](const std::string& k) { return note_field_of(k) == int(f); }));
    }
    return l;
}

field_labels reason_labels(const std::vector<labelled_paper>& d,
                           const std::vector<sparse_vector>& x,
                           const std::vector<std::size_t>& use) {
    field_labels l;
    l.ys.resize(reason_field_names().size());
    for (auto i : use) {
        // The judges name the field of a paper they found not relevant (an application's
        // domain, a non-ML paper's subject); only such papers are ever given a field.
        if (!d[i].gold || *d[i].gold == verdict::relevant || d[i].reasons.empty()) continue;
        l.xs.push_back(&x[i]);
        const auto named = reason_fields(d[i].reasons);
        for (std::size_t f = 0; f < l.ys.size(); ++f) l.ys[f].push_back(named[f] ? 1 : 0);
    }
    return l;
}

// The heads of the fields with at least 20 positive papers, trained on two threads (each head
// on its own: the same weights in any order).
std::vector<linear_head> train_heads(const field_labels& l, const std::vector<std::string>& names,
                                     double c, double balance, double prune,
                                     const training_config& cfg) {
    std::vector<std::size_t> kept;
    for (std::size_t f = 0; f < l.ys.size(); ++f)
        if (std::count(l.ys[f].begin(), l.ys[f].end(), 1) >= 20) kept.push_back(f);
    std::vector<linear_head> heads(kept.size());
    auto work = [&](std::size_t from, std::size_t step) {
        train_options opt;
        opt.c = c;
        for (std::size_t k = from; k < kept.size(); k += step) {
            const auto& y = l.ys[kept[k]];
            const double pos = double(std::count(y.begin(), y.end(), 1));
            opt.positive_weight = std::pow((double(y.size()) - pos) / pos, balance);
            heads[k] = train_head(names[kept[k]], l.xs, y, {}, opt, cfg.hash_bits);
            for (auto& w : heads[k].weights)
                if (std::abs(w) < prune) w = 0.0f;
        }
    };
    std::thread other(work, 1, 2);
    work(0, 2);
    other.join();
    return heads;
}

} // namespace

field_model train_field_model(const std::vector<labelled_paper>& d,
                              const std::vector<sparse_vector>& x,
                              const std::vector<std::size_t>& use, const training_config& cfg) {
    auto heads = train_heads(category_labels(d, x, use), note_field_names(), cfg.c_field,
                             cfg.field_balance, cfg.prune, cfg);
    std::vector<bool> from_reasons(heads.size(), false);
    for (auto& h : train_heads(reason_labels(d, x, use), reason_field_names(), cfg.c_reason_field,
                               cfg.reason_field_balance, cfg.prune_reason_field, cfg)) {
        heads.push_back(std::move(h));
        from_reasons.push_back(true);
    }
    return field_model::from_heads(heads, from_reasons, cfg.hash_bits);
}

} // namespace sieve
