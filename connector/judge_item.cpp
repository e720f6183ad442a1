#include "connector/judge_item.hpp"

#include <boost/json/parse.hpp>

namespace sieve {

namespace json = boost::json;

namespace {

bool has_prefix(std::string_view s, std::string_view prefix) {
    return !prefix.empty() && s.substr(0, prefix.size()) == prefix;
}

} // namespace

std::vector<std::string> keywords_from_tags(const std::vector<item_tag>& tags,
                                            std::string_view prefix) {
    std::vector<std::string> out;
    for (const auto& t : tags)
        if (!has_prefix(t.tag, prefix))
            out.push_back(t.tag);
    return out;
}

paper paper_from_item(const zotero_item& z, std::string_view tag_prefix) {
    paper p{std::to_string(z.library_id) + "/" + z.key, z.title, z.abstract, z.item_type, z.venue,
            {}};
    for (const auto& t : z.tags)
        if (!has_prefix(t.name, tag_prefix))
            p.keywords.push_back(t.name);
    return p;
}

item_content content_from_item(const zotero_item& z) {
    item_content c;
    c.tags.reserve(z.tags.size());
    for (const auto& t : z.tags)
        c.tags.push_back({t.name, t.type});
    for (const auto& n : z.notes)
        c.notes.push_back({n.key, n.html});
    return c;
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

bool library_editable(const zotero_library* lib, std::int64_t library_id) {
    if (!lib)
        return true;
    for (const auto& l : lib->libraries)
        if (l.id == library_id)
            return l.editable;
    return true;
}

} // namespace sieve
