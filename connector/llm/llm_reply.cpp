#include "connector/llm/llm_reply.hpp"

#include "classifier/ascii.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>

namespace sieve {

namespace json = boost::json;

namespace {

constexpr std::size_t max_scan_bytes = 1 << 20; // longer replies are cut
constexpr int max_parse_tries = 64;             // JSON start candidates tried
constexpr std::size_t max_reason_bytes = 300;
constexpr std::size_t max_quotes = 6;
constexpr std::size_t min_quote_bytes = 3, max_quote_bytes = 400;


std::string_view trim(std::string_view s, std::string_view chars = " \t\r\n") {
    auto b = s.find_first_not_of(chars);
    if (b == std::string_view::npos)
        return {};
    return s.substr(b, s.find_last_not_of(chars) - b + 1);
}

// Cuts `s` to at most `n` bytes without splitting a UTF-8 sequence.
std::string cut_utf8(std::string s, std::size_t n) {
    if (s.size() <= n)
        return s;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
        --n;
    s.resize(n);
    return s;
}

// The first JSON object or array in `text` (fences, prose before and after are skipped).
std::optional<json::value> first_json(std::string_view text) {
    text = text.substr(0, max_scan_bytes);
    int tries = 0;
    for (auto pos = text.find_first_of("{[");
         pos != std::string_view::npos && tries < max_parse_tries;
         pos = text.find_first_of("{[", pos + 1), ++tries) {
        json::parse_options opt;
        opt.max_depth = 16;
        json::parser p({}, opt);
        boost::system::error_code ec;
        p.write_some(text.data() + pos, text.size() - pos, ec); // stops after one value
        if (ec)
            continue;
        try {
            return p.release();
        } catch (const std::exception&) { // incomplete value
        }
    }
    return std::nullopt;
}

// The batch index an id names: "p3" / "P3" / "3" / 3 -> 2. Out of range: nullopt.
std::optional<std::size_t> index_of(const json::value* id, std::size_t n) {
    if (!id)
        return std::nullopt;
    std::int64_t k = 0;
    if (id->is_int64()) {
        k = id->get_int64();
    } else if (id->is_uint64()) {
        k = id->get_uint64() > n ? 0 : std::int64_t(id->get_uint64());
    } else if (id->is_string()) {
        std::string_view s = trim(id->get_string());
        if (!s.empty() && (s[0] == 'p' || s[0] == 'P'))
            s.remove_prefix(1);
        if (s.empty() || s.size() > 6 ||
            !std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
            return std::nullopt;
        k = std::stoll(std::string(s));
    } else {
        return std::nullopt;
    }
    if (k < 1 || std::uint64_t(k) > n)
        return std::nullopt;
    return std::size_t(k - 1);
}

std::optional<double> number_of(const json::value* v) {
    if (!v)
        return std::nullopt;
    if (v->is_number())
        return v->to_number<double>();
    if (v->is_string()) {
        std::string s(trim(v->get_string()));
        char* end = nullptr;
        double d = std::strtod(s.c_str(), &end);
        if (!s.empty() && end == s.c_str() + s.size())
            return d;
    }
    return std::nullopt;
}

void read_score(const json::object& o, judgment& j) {
    int lo = 1, hi = 2, fallback = 1;
    if (j.label == verdict::relevant)
        lo = 7, hi = 10, fallback = 8;
    else if (j.label == verdict::application)
        lo = 3, hi = 6, fallback = 4;
    auto s = number_of(o.if_contains("score"));
    j.score = s && std::isfinite(*s)
                  ? std::clamp(int(std::lround(std::clamp(*s, -1e6, 1e6))), lo, hi)
                  : fallback;
    auto c = number_of(o.if_contains("confidence"));
    j.confidence = c && *c >= 0 && *c <= 1 ? *c : 0.8;
}

void read_topics(const json::value* v, const criteria& c, judgment& j, llm_reply_stats& st) {
    std::vector<const json::value*> names;
    if (v && v->is_string())
        names.push_back(v);
    else if (v && v->is_array())
        for (const auto& t : v->get_array())
            names.push_back(&t);
    for (const json::value* t : names) {
        const topic* hit = nullptr;
        if (t->is_string()) {
            std::string want = lower_ascii(trim(t->get_string()));
            for (const auto& tp : c.topics)
                if (lower_ascii(tp.name) == want)
                    hit = &tp;
        }
        if (!hit) {
            ++st.dropped_topics;
            continue;
        }
        if (std::find(j.topics.begin(), j.topics.end(), hit->name) == j.topics.end())
            j.topics.push_back(hit->name);
    }
}

// The criteria line a quote without (a valid) line number is tied to.
std::optional<std::size_t> default_line(const judgment& j, const criteria& c) {
    for (const auto& name : j.topics)
        for (const auto& tp : c.topics)
            if (tp.name == name)
                for (auto l : tp.lines)
                    if (c.lines[l].kind == line_kind::topic_relevant)
                        return l;
    line_kind want = j.label == verdict::relevant      ? line_kind::keywords_relevant
                     : j.label == verdict::application ? line_kind::keywords_application
                                                       : line_kind::keywords_irrelevant;
    for (std::size_t l = 0; l < c.lines.size(); ++l)
        if (c.lines[l].kind == want)
            return l;
    if (c.lines.empty())
        return std::nullopt;
    return std::size_t(0);
}

std::optional<std::size_t> named_line(const json::value* v, const criteria& c) {
    auto n = number_of(v);
    if (!n)
        return std::nullopt;
    for (std::size_t l = 0; l < c.lines.size(); ++l)
        if (double(c.lines[l].line_no) == *n)
            return l;
    return std::nullopt;
}

// Strips blanks, quote marks and ellipses (ASCII or typographic, whole characters) at both ends.
std::string_view trim_quote(std::string_view q) {
    constexpr std::string_view marks[] = {"\u201c", "\u201d", "\u2018", "\u2019", "\u2026"};
    for (bool changed = true; changed;) {
        q = trim(q, " \t\r\n\"'`.");
        changed = false;
        for (auto m : marks) {
            if (q.substr(0, m.size()) == m)
                q.remove_prefix(m.size()), changed = true;
            if (q.size() >= m.size() && q.substr(q.size() - m.size()) == m)
                q.remove_suffix(m.size()), changed = true;
        }
    }
    return q;
}

void add_quote(std::string_view quote, std::optional<std::size_t> line, const paper& p,
               const criteria& c, judgment& j, llm_reply_stats& st) {
    quote = trim_quote(quote);
    if (quote.size() < min_quote_bytes || quote.size() > max_quote_bytes) {
        ++st.dropped_quotes;
        return;
    }
    const std::pair<const char*, const std::string*> fields[] = {{"title", &p.title},
                                                                 {"abstract", &p.abstract}};
    for (const auto& [name, text] : fields) {
        auto at = text->find(quote);
        if (at == std::string::npos)
            continue;
        if (!line)
            line = default_line(j, c);
        if (!line)
            return;
        for (const auto& e : j.evidence)
            if (e.quote == quote)
                return;
        j.evidence.push_back(
            {name, std::uint32_t(at), std::uint32_t(at + quote.size()), std::string(quote), *line, {}, 0});
        return;
    }
    ++st.dropped_quotes;
}

void read_evidence(const json::value* v, const paper& p, const criteria& c, judgment& j,
                   llm_reply_stats& st) {
    if (!v)
        return;
    json::array single;
    const json::array* items = v->if_array();
    if (!items) {
        single.push_back(*v);
        items = &single;
    }
    for (const auto& e : *items) {
        if (j.evidence.size() == max_quotes)
            break;
        if (e.is_string()) {
            add_quote(e.get_string(), std::nullopt, p, c, j, st);
        } else if (e.is_object()) {
            const json::value* q = e.get_object().if_contains("quote");
            if (q && q->is_string())
                add_quote(q->get_string(), named_line(e.get_object().if_contains("line"), c), p, c,
                          j, st);
        }
    }
}

std::string one_line(std::string_view s) {
    std::string out;
    for (char ch : trim(s))
        out.push_back(static_cast<unsigned char>(ch) < 0x20 ? ' ' : ch);
    return cut_utf8(std::move(out), max_reason_bytes);
}

std::optional<judgment> read_item(const json::object& o, const paper& p, const criteria& c,
                                  llm_reply_stats& st) {
    const json::value* v = o.if_contains("verdict");
    std::optional<verdict> label;
    if (v && v->is_string())
        label = verdict_from_string(lower_ascii(trim(v->get_string())));
    if (!label)
        return std::nullopt;
    judgment j;
    j.label = *label;
    read_topics(o.if_contains("topics"), c, j, st);
    read_score(o, j);
    if (const json::value* r = o.if_contains("reason"); r && r->is_string())
        j.reason = one_line(r->get_string());
    read_evidence(o.if_contains("evidence"), p, c, j, st);
    return j;
}

// The per-paper answers, each with the id it gives (or its key in an id-keyed object; null:
// none).
using answer = std::pair<json::value, const json::object*>;
std::vector<answer> answers(const json::value& top) {
    std::vector<answer> out;
    auto id_of = [](const json::object& o) {
        const json::value* id = o.if_contains("id");
        return id ? *id : json::value(nullptr);
    };
    const json::array* list = top.if_array();
    if (const json::object* o = top.if_object()) {
        for (auto key : {"papers", "results", "items", "judgments"})
            if (const json::value* l = o->if_contains(key); l && l->is_array() && !list)
                list = &l->get_array();
        if (!list && o->contains("verdict")) {
            out.emplace_back(id_of(*o), o);
        } else if (!list) {
            for (const auto& kv : *o)
                if (kv.value().is_object())
                    out.emplace_back(json::value(kv.key()), &kv.value().get_object());
        }
    }
    if (list)
        for (const auto& e : *list)
            if (e.is_object())
                out.emplace_back(id_of(e.get_object()), &e.get_object());
    return out;
}

} // namespace

std::string llm_paper_id(std::size_t i) {
    std::string id = std::to_string(i + 1); // not "p" + ...: GCC 12 -Wrestrict false positive
    id.insert(id.begin(), 'p');
    return id;
}

std::vector<std::optional<judgment>> parse_llm_reply(std::string_view content,
                                                     const std::vector<const paper*>& batch,
                                                     const criteria& c, llm_reply_stats* stats) {
    llm_reply_stats local;
    llm_reply_stats& st = stats ? *stats : local;
    std::vector<std::optional<judgment>> out(batch.size());
    auto top = first_json(content);
    if (!top)
        return out;
    for (const auto& [id, obj] : answers(*top)) {
        auto k = index_of(id.is_null() ? nullptr : &id, batch.size());
        if (!k && batch.size() == 1 && id.is_null())
            k = 0; // a one-paper batch answered without an id
        std::optional<judgment> j = k ? read_item(*obj, *batch[*k], c, st) : std::nullopt;
        if (!j) {
            ++st.rejected_items;
            continue;
        }
        if (!out[*k])
            out[*k] = std::move(j);
    }
    return out;
}

} // namespace sieve
