#include "connector/wire/api_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace sieve {

namespace json = boost::json;

namespace {

json::array tags_json(const std::vector<item_tag>& tags) {
    json::array a;
    for (const auto& t : tags)
        a.push_back(json::object{{"tag", t.tag}, {"type", t.type}});
    return a;
}

} // namespace

json::value plan_json(const plan& p) {
    json::object note{{"action", to_string(p.note.action)}};
    if (!p.note.key.empty())
        note["key"] = p.note.key;
    if (!p.note.html.empty())
        note["html"] = p.note.html;
    return json::object{{"add_tags", tags_json(p.add_tags)},
                        {"remove_tags", tags_json(p.remove_tags)},
                        {"note", std::move(note)}};
}

std::string error_body(std::string_view code, std::string_view message) {
    json::object e{{"code", code}, {"message", message}};
    return json::serialize(json::object{{"error", std::move(e)}});
}

} // namespace sieve
