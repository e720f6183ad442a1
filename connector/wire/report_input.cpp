#include "connector/wire/report_input.hpp"

#include "classifier/ascii.hpp"
#include "classifier/markup.hpp"
#include "classifier/xml_text.hpp"
#include "connector/wire/paper_json.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cmath>

namespace sieve {

namespace json = boost::json;

namespace {

std::string string_of(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

bool valid_key(std::string_view k) {
    if (k.size() != 8)
        return false;
    for (char ch : k)
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
            return false;
    return true;
}

// "title", "date_added", "read", "opened", "key" / "group_id" (or an id "1/<key>").
bool read_extras(const json::object& o, report_item& item, std::string& why) {
    for (const char* k : {"title", "date_added", "key"})
        if (const json::value* v = o.if_contains(k); v && !v->is_string() && !v->is_null()) {
            why = std::string("\"") + k + "\" must be a string";
            return false;
        }
    for (const char* k : {"read", "opened"})
        if (const json::value* v = o.if_contains(k); v && !v->is_bool() && !v->is_null()) {
            why = std::string("\"") + k + "\" must be true or false";
            return false;
        }
    item.title = string_of(o, "title");
    item.date_added = string_of(o, "date_added");
    const json::value* read = o.if_contains("read");
    const json::value* opened = o.if_contains("opened");
    item.tagged_read = read && read->is_bool() && read->get_bool();
    item.opened = opened && opened->is_bool() && opened->get_bool();
    std::string key = string_of(o, "key");
    const json::value* group = o.if_contains("group_id");
    if (key.empty() && item.id.size() == 10 && item.id.starts_with("1/"))
        key = item.id.substr(2);
    if (!valid_key(key)) {
        if (key.empty())
            return true;
        why = "\"key\" must be 8 letters or digits (A-Z, 0-9)";
        return false;
    }
    if (group && group->is_int64() && group->get_int64() > 0)
        item.link =
            "zotero://select/groups/" + std::to_string(group->get_int64()) + "/items/" + key;
    else
        item.link = "zotero://select/library/items/" + key;
    return true;
}

std::string id_of(const json::object& o) {
    const json::value* v = o.if_contains("id");
    if (!v)
        return {};
    if (v->is_string())
        return std::string(v->get_string());
    if (v->is_int64())
        return std::to_string(v->get_int64());
    if (v->is_uint64())
        return std::to_string(v->get_uint64());
    return {};
}

} // namespace

std::string note_reason(std::string_view note_html, std::size_t limit) {
    constexpr std::string_view lead = "<strong>Why:</strong>";
    const std::size_t at = note_html.find(lead);
    if (at == std::string_view::npos)
        return {};
    std::string_view rest = note_html.substr(at + lead.size());
    rest = rest.substr(0, rest.find("</p>"));
    return xml_safe(strip_markup(rest).text, limit);
}

bool is_read_tag(std::string_view name) {
    std::string n = lower_ascii(trim_ascii_space(name));
    while (!n.empty() && std::string_view("_#!@*.-+ ").find(n.front()) != std::string_view::npos)
        n.erase(0, 1);
    return n == "read" || n.ends_with("/read") || n.ends_with(":read") || n.ends_with(": read");
}

bool report_item_from_judgment(const json::object& j, report_item& item) {
    const json::value* v = j.if_contains("verdict");
    const json::value* topics = j.if_contains("topics");
    if (!v || !v->is_string() || !topics || !topics->is_array())
        return false;
    auto label = verdict_from_string(v->get_string());
    if (!label)
        return false;
    item.label = *label;
    item.topics.clear();
    for (const auto& t : topics->get_array())
        if (t.is_string())
            item.topics.emplace_back(t.get_string());
    if (const json::value* s = j.if_contains("score"); s && s->is_number())
        item.score = static_cast<int>(std::clamp(std::lround(s->to_number<double>()), 1L, 10L));
    if (const json::value* c = j.if_contains("confidence"); c && c->is_number())
        item.confidence = std::clamp(c->to_number<double>(), 0.0, 1.0);
    item.field = std::string(trim_ascii_space(string_of(j, "field")));
    item.judge = string_of(j, "judge");
    if (item.label == verdict::relevant) { // the only items a report lists
        item.reason = string_of(j, "reason");
        item.note_html = string_of(j, "note_html");
    }
    return true;
}

boost::system::result<report_input_line, std::string> parse_report_line(std::string_view line) {
    using R = boost::system::result<report_input_line, std::string>;
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec)
        return R(boost::system::in_place_error, "not valid JSON: " + ec.message());
    if (!v.is_object())
        return R(boost::system::in_place_error, "expected a JSON object");
    const json::object& o = v.get_object();
    report_input_line out;
    out.item.id = id_of(o);
    std::string why;
    if (!read_extras(o, out.item, why))
        return R(boost::system::in_place_error, why);
    if (o.contains("judge")) {
        if (!report_item_from_judgment(o, out.item))
            return R(boost::system::in_place_error,
                     "a judgment needs \"verdict\" (relevant, application or irrelevant) and "
                     "\"topics\" (an array)");
        return out;
    }
    auto p = parse_paper_line(line);
    if (!p)
        return R(boost::system::in_place_error, p.error());
    if (out.item.title.empty())
        out.item.title = p->p.title;
    out.paper = std::move(p->p);
    return out;
}

} // namespace sieve
