#include "connector/wire/paper_json.hpp"

#include "connector/wire/plan_types.hpp"

#include <cmath>

namespace sieve {

namespace json = boost::json;

namespace {

using parse_result = boost::system::result<labelled_paper, std::string>;

parse_result fail(std::string why) { return {boost::system::in_place_error, std::move(why)}; }

// Reads an optional string member; false when present with another type.
bool read_string(const json::object& o, std::string_view key, std::string& out) {
    const json::value* v = o.if_contains(key);
    if (!v || v->is_null()) return true;
    if (!v->is_string()) return false;
    out.assign(v->get_string().begin(), v->get_string().end());
    return true;
}

bool read_strings(const json::object& o, std::string_view key, std::vector<std::string>& out) {
    const json::value* v = o.if_contains(key);
    if (!v || v->is_null()) return true;
    if (!v->is_array()) return false;
    for (const auto& e : v->get_array()) {
        if (!e.is_string()) return false;
        out.emplace_back(e.get_string().begin(), e.get_string().end());
    }
    return true;
}

bool read_id(const json::object& o, std::string& out) {
    const json::value* v = o.if_contains("id");
    if (!v || v->is_null()) return true;
    if (v->is_string()) out.assign(v->get_string().begin(), v->get_string().end());
    else if (v->is_int64()) out = std::to_string(v->get_int64());
    else if (v->is_uint64()) out = std::to_string(v->get_uint64());
    else return false;
    return true;
}

// label / verdict / topics
bool read_labels(const json::object& o, labelled_paper& lp) {
    std::string label, v;
    std::vector<std::string> topics;
    if (!read_string(o, "label", label) || !read_string(o, "verdict", v) ||
        !read_strings(o, "topics", topics))
        return false;
    const json::value* score = o.if_contains("relevance");
    bool lenient = score && score->is_number() && score->to_number<double>() < 8;
    if (label == "relevant") lp.relevant = lenient ? 0 : 1;
    else if (label == "not_relevant") lp.relevant = 0;
    lp.gold = verdict_from_string(v);
    bool gold = o.contains("verdict");
    for (const auto& t : topics) {
        std::string name = gold ? t : corpus_topic_name(t);
        if (name.empty() && !gold) name = t == "other" ? "" : t;
        if (!name.empty()) lp.topics.push_back(std::move(name));
    }
    lp.gold_topics = lp.gold.has_value();
    lp.seed_exact_file = gold;
    lp.topics_known = lp.gold_topics || (o.contains("topics") && lp.relevant == 1);
    return true;
}

} // namespace

parse_result parse_paper_line(std::string_view line) {
    // The parsed value lives only here: its strings come from a buffer on the stack (the heap
    // only past 16 KiB), not one allocation each.
    unsigned char buffer[16384];
    json::monotonic_resource arena(buffer, sizeof buffer);
    boost::system::error_code ec;
    json::value v = json::parse(line, ec, &arena);
    if (ec) return fail("not valid JSON: " + ec.message());
    if (!v.is_object()) return fail("expected a JSON object");
    const json::object& o = v.get_object();
    labelled_paper lp;
    if (!read_id(o, lp.p.id)) return fail("\"id\" must be a string or an integer");
    if (!o.contains("title")) return fail("missing \"title\"");
    if (!read_string(o, "title", lp.p.title)) return fail("\"title\" must be a string");
    if (!read_string(o, "abstract", lp.p.abstract)) return fail("\"abstract\" must be a string");
    if (!read_string(o, "item_type", lp.p.item_type) || !read_string(o, "venue", lp.p.venue))
        return fail("\"item_type\" and \"venue\" must be strings");
    if (!read_strings(o, "keywords", lp.p.keywords))
        return fail("\"keywords\" must be an array of strings");
    if (!read_strings(o, "categories", lp.categories))
        return fail("\"categories\" must be an array of strings");
    if (!read_string(o, "stratum", lp.stratum)) return fail("\"stratum\" must be a string");
    if (!read_strings(o, "reasons", lp.reasons))
        return fail("\"reasons\" must be an array of strings");
    if (!read_labels(o, lp)) return fail("\"label\", \"verdict\" and \"topics\" have wrong types");
    return lp;
}

std::string_view kind_label(line_kind k) {
    switch (k) {
    case line_kind::topic_goal: return "topic_goal";
    case line_kind::topic_relevant: return "topic_relevant";
    case line_kind::topic_irrelevant: return "topic_irrelevant";
    case line_kind::topic_filter: return "topic_filter";
    case line_kind::keywords_relevant: return "keywords_relevant";
    case line_kind::keywords_irrelevant: return "keywords_irrelevant";
    case line_kind::keywords_application: return "keywords_application";
    }
    return "unknown";
}

json::object evidence_json(const evidence& e, const criteria& c, json::storage_ptr sp) {
    json::value crit(nullptr, sp);
    if (e.criterion < c.lines.size()) {
        const criterion_line& l = c.lines[e.criterion];
        json::object o({{"line", l.line_no}, {"kind", kind_label(l.kind)}}, sp);
        o["topic"] = l.topic >= 0 ? json::value(c.topics[std::size_t(l.topic)].name, sp)
                                  : json::value(nullptr, sp);
        crit = std::move(o);
    }
    json::object out({{"field", e.field},  {"begin", e.begin},      {"end", e.end},
                      {"quote", e.quote},  {"criterion", std::move(crit)}}, sp);
    out["supports"] = e.supports.empty() ? json::value(nullptr, sp) : json::value(e.supports, sp);
    out["weight"] = e.weight;
    return out;
}

json::object judgment_json(std::string_view id, const judgment& j, const criteria& c,
                           json::storage_ptr sp) {
    json::array topics(sp), ev(sp);
    for (const auto& t : j.topics) topics.emplace_back(t);
    for (const auto& e : j.evidence) ev.push_back(evidence_json(e, c, sp));
    return json::object(
        {{"id", id},
         {"verdict", to_string(j.label)},
         {"topics", std::move(topics)},
         {"score", j.score},
         {"confidence", std::round(j.confidence * 1000) / 1000},
         {"evidence", std::move(ev)},
         {"field", j.field.empty() ? json::value(nullptr, sp) : json::value(j.field, sp)},
         {"thin_evidence", j.thin_evidence},
         {"note_html", j.note_html},
         {"judge", j.judge}},
        sp);
}

std::string content_hash(const paper& p) {
    std::string s = p.title + '\x1f' + p.abstract + '\x1f' + p.item_type + '\x1f' + p.venue;
    for (const auto& k : p.keywords)
        s += '\x1e' + k;
    return note_hash(s);
}

std::optional<judgment> judgment_from_json(std::string_view text, json::object& out) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object())
        return std::nullopt;
    try {
        const json::object& o = v.as_object();
        auto verdict = verdict_from_string(o.at("verdict").as_string());
        if (!verdict)
            return std::nullopt;
        judgment j;
        j.label = *verdict;
        for (const auto& t : o.at("topics").as_array())
            j.topics.emplace_back(t.as_string());
        j.note_html = o.at("note_html").as_string();
        if (const auto* c = o.if_contains("confidence"); c && c->is_number())
            j.confidence = c->to_number<double>(); // the LLM judge's hybrid mode decides by it
        out = std::move(v.as_object());
        return j;
    } catch (const std::exception&) { // a missing field or one of the wrong type
        return std::nullopt;
    }
}

} // namespace sieve
