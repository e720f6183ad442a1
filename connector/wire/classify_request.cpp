#include "connector/wire/classify_request.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <limits>

namespace sieve {

namespace json = boost::json;
using jcheck::element;
using jcheck::member;

namespace {

using jcheck::checked;

checked<std::vector<item_tag>> parse_tags(const json::value& v, const std::string& path) {
    auto a = jcheck::array(v, path, std::numeric_limits<std::size_t>::max());
    if (!a)
        return a.error();
    std::vector<item_tag> out;
    for (std::size_t i = 0; i < (*a)->size(); ++i) {
        std::string p = element(path, i);
        auto o = jcheck::object((**a)[i], p, {"tag", "type"}, {"tag", "type"});
        if (!o)
            return o.error();
        auto tag = jcheck::string((*o)->at("tag"), member(p, "tag"), 1);
        if (!tag)
            return tag.error();
        auto type = jcheck::integer((*o)->at("type"), member(p, "type"), 0, 1);
        if (!type)
            return type.error();
        out.push_back({std::move(*tag), int(*type)});
    }
    return out;
}

checked<std::vector<item_note>> parse_notes(const json::value& v, const std::string& path) {
    auto a = jcheck::array(v, path, std::numeric_limits<std::size_t>::max());
    if (!a)
        return a.error();
    std::vector<item_note> out;
    for (std::size_t i = 0; i < (*a)->size(); ++i) {
        std::string p = element(path, i);
        auto o = jcheck::object((**a)[i], p, {"key", "html"}, {"key", "html"});
        if (!o)
            return o.error();
        auto key = jcheck::string((*o)->at("key"), member(p, "key"), 1);
        if (!key)
            return key.error();
        auto html = jcheck::string((*o)->at("html"), member(p, "html"));
        if (!html)
            return html.error();
        out.push_back({std::move(*key), std::move(*html)});
    }
    return out;
}

// Reads an optional string member into `out`; returns an error when present but not a string.
std::optional<jcheck::error> optional_string(const json::object& o, std::string_view key,
                                             const std::string& path, std::string& out) {
    const json::value* v = o.if_contains(key);
    if (!v)
        return std::nullopt;
    auto s = jcheck::string(*v, member(path, key));
    if (!s)
        return s.error();
    out = std::move(*s);
    return std::nullopt;
}

// The optional library identity of an inline item: libraryID and key, both or neither.
std::optional<jcheck::error> parse_identity(const json::object& obj, const std::string& path,
                                            inline_item& item) {
    if (!obj.contains("libraryID") && !obj.contains("key"))
        return std::nullopt;
    if (!obj.contains("libraryID") || !obj.contains("key"))
        return jcheck::error{path, "libraryID and key go together"};
    auto lib = jcheck::integer(obj.at("libraryID"), member(path, "libraryID"), 1,
                               std::numeric_limits<std::int64_t>::max());
    if (!lib)
        return lib.error();
    auto key = jcheck::string(obj.at("key"), member(path, "key"), 1);
    if (!key)
        return key.error();
    item.library_id = *lib;
    item.key = std::move(*key);
    return std::nullopt;
}

checked<inline_item> parse_inline(const json::value& v, const std::string& path, bool need_text) {
    auto o = need_text ? jcheck::object(v, path,
                                        {"id", "libraryID", "key", "title", "abstract", "itemType",
                                         "venue", "tags", "notes"},
                                        {"title", "abstract"})
                       : jcheck::object(v, path,
                                        {"id", "libraryID", "key", "title", "abstract", "itemType",
                                         "venue", "tags", "notes"},
                                        {});
    if (!o)
        return o.error();
    const json::object& obj = **o;
    inline_item item;
    if (auto e = parse_identity(obj, path, item))
        return *e;
    std::string id;
    if (auto e = optional_string(obj, "id", path, id))
        return *e;
    if (obj.contains("id"))
        item.id = std::move(id);
    if (auto e = optional_string(obj, "title", path, item.title))
        return *e;
    if (auto e = optional_string(obj, "abstract", path, item.abstract))
        return *e;
    if (auto e = optional_string(obj, "itemType", path, item.item_type))
        return *e;
    if (auto e = optional_string(obj, "venue", path, item.venue))
        return *e;
    if (const json::value* t = obj.if_contains("tags")) {
        auto tags = parse_tags(*t, member(path, "tags"));
        if (!tags)
            return tags.error();
        item.tags = std::move(*tags);
    }
    if (const json::value* n = obj.if_contains("notes")) {
        auto notes = parse_notes(*n, member(path, "notes"));
        if (!notes)
            return notes.error();
        item.notes = std::move(*notes);
    }
    return item;
}

} // namespace

checked<item_ref> parse_item_ref(const json::value& v, const std::string& path) {
    auto o = jcheck::object(v, path, {"libraryID", "key"}, {"libraryID", "key"});
    if (!o)
        return o.error();
    auto lib = jcheck::integer((*o)->at("libraryID"), member(path, "libraryID"), 1,
                               std::numeric_limits<std::int64_t>::max());
    if (!lib)
        return lib.error();
    auto key = jcheck::string((*o)->at("key"), member(path, "key"), 1);
    if (!key)
        return key.error();
    return item_ref{*lib, std::move(*key)};
}

std::optional<jcheck::error> parse_tag_type(const json::object& o, int& out) {
    if (const json::value* t = o.if_contains("tagType")) {
        auto type = jcheck::integer(*t, "tagType", 0, 1);
        if (!type)
            return type.error();
        out = int(*type);
    }
    return std::nullopt;
}

checked<classify_item> parse_classify_item(const json::value& v, const std::string& path) {
    const json::object* o = v.if_object();
    if (o && !o->contains("title") && (o->contains("libraryID") || o->contains("key"))) {
        auto ref = parse_item_ref(v, path);
        if (!ref)
            return ref.error();
        return classify_item(std::move(*ref));
    }
    auto item = parse_inline(v, path, true);
    if (!item)
        return item.error();
    return classify_item(std::move(*item));
}

boost::system::result<classify_request, jcheck::error>
parse_classify_request(const json::value& body) {
    auto o = jcheck::object(body, "", {"items", "tagType"}, {"items"});
    if (!o)
        return o.error();
    classify_request req;
    if (auto e = parse_tag_type(**o, req.tag_type))
        return *e;
    auto a = jcheck::array((*o)->at("items"), "items", max_classify_items);
    if (!a)
        return a.error();
    req.items.reserve((*a)->size());
    for (std::size_t i = 0; i < (*a)->size(); ++i) {
        auto item = parse_classify_item((**a)[i], element("items", i));
        if (!item)
            return item.error();
        req.items.push_back(std::move(*item));
    }
    return req;
}

boost::system::result<undo_request, jcheck::error> parse_undo_request(const json::value& body) {
    auto o = jcheck::object(body, "", {"items", "tagType"}, {"items"});
    if (!o)
        return o.error();
    undo_request req;
    if (auto e = parse_tag_type(**o, req.tag_type))
        return *e;
    auto a = jcheck::array((*o)->at("items"), "items", max_classify_items);
    if (!a)
        return a.error();
    for (std::size_t i = 0; i < (*a)->size(); ++i) {
        auto item = parse_inline((**a)[i], element("items", i), false);
        if (!item)
            return item.error();
        req.items.push_back(std::move(*item));
    }
    return req;
}

} // namespace sieve
