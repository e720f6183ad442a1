#include "connector/jobs/job_scope.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <limits>

namespace sieve {

namespace json = boost::json;
using jcheck::element;
using jcheck::member;

namespace {

using jcheck::checked;

checked<std::int64_t> library_id(const json::value& v, const std::string& path) {
    return jcheck::integer(v, path, 1, std::numeric_limits<std::int64_t>::max());
}

checked<std::vector<item_ref>> parse_refs(const json::value& v) {
    auto list = jcheck::array(v, "items", max_job_items);
    if (!list)
        return list.error();
    std::vector<item_ref> out;
    for (std::size_t i = 0; i < (*list)->size(); ++i) {
        auto ref = parse_item_ref((**list)[i], element("items", i));
        if (!ref)
            return ref.error();
        out.push_back(std::move(*ref));
    }
    auto less = [](const item_ref& a, const item_ref& b) {
        return std::tie(a.library_id, a.key) < std::tie(b.library_id, b.key);
    };
    std::sort(out.begin(), out.end(), less);
    out.erase(std::unique(out.begin(), out.end(),
                          [](const item_ref& a, const item_ref& b) {
                              return a.library_id == b.library_id && a.key == b.key;
                          }),
              out.end());
    return out;
}

// The members of the scope's kind, after "scope" and "tagType" were read.
std::optional<jcheck::error> parse_members(const json::object& o, job_scope& s) {
    if (s.what == job_scope::kind::items) {
        auto refs = parse_refs(o.at("items"));
        if (!refs)
            return refs.error();
        s.items = std::move(*refs);
        return std::nullopt;
    }
    if (const json::value* l = o.if_contains("libraryID")) {
        auto lib = library_id(*l, "libraryID");
        if (!lib)
            return lib.error();
        s.library_id = *lib;
    }
    if (s.what == job_scope::kind::collection) {
        auto key = jcheck::string(o.at("collectionKey"), "collectionKey", 1);
        if (!key)
            return key.error();
        s.collection_key = std::move(*key);
    }
    return std::nullopt;
}

} // namespace

boost::system::result<job_scope, jcheck::error> parse_job_request(const json::value& body) {
    const json::object* top = body.if_object();
    const json::value* scope = top ? top->if_contains("scope") : nullptr;
    if (!top || !scope || !scope->is_string())
        return jcheck::error{top ? "scope" : "",
                             top ? "expected \"library\", \"collection\" or \"items\""
                                 : "expected an object"};
    job_scope s;
    checked<const json::object*> o = jcheck::error{};
    if (*scope == "library") {
        o = jcheck::object(body, "", {"scope", "tagType", "libraryID"}, {"scope"});
    } else if (*scope == "collection") {
        s.what = job_scope::kind::collection;
        o = jcheck::object(body, "", {"scope", "tagType", "libraryID", "collectionKey"},
                           {"scope", "libraryID", "collectionKey"});
    } else if (*scope == "items") {
        s.what = job_scope::kind::items;
        o = jcheck::object(body, "", {"scope", "tagType", "items"}, {"scope", "items"});
    } else {
        return jcheck::error{"scope", "expected \"library\", \"collection\" or \"items\""};
    }
    if (!o)
        return o.error();
    if (auto e = parse_tag_type(**o, s.tag_type))
        return *e;
    if (auto e = parse_members(**o, s))
        return *e;
    return s;
}

bool names_unknown_library(const zotero_library& lib, const job_scope& scope) {
    if (scope.what == job_scope::kind::items || !scope.library_id)
        return false;
    return std::none_of(lib.libraries.begin(), lib.libraries.end(),
                        [&](const zotero_library_info& l) { return l.id == *scope.library_id; });
}

job_selection select_job_items(const zotero_library& lib, const job_scope& scope,
                               const std::optional<std::pair<std::int64_t, std::string>>& cursor) {
    auto after_cursor = [&](std::int64_t library_id, const std::string& key) {
        return !cursor || std::tie(library_id, key) > std::tie(cursor->first, cursor->second);
    };
    job_selection out;
    if (scope.what == job_scope::kind::items) {
        for (const auto& r : scope.items) {
            const zotero_item* z = find_item(lib, r.library_id, r.key);
            if (!z)
                ++out.missing;
            else if (after_cursor(r.library_id, r.key))
                out.items.push_back(z);
        }
        return out;
    }
    for (const auto& z : lib.items) {
        if (scope.library_id && z.library_id != *scope.library_id)
            continue;
        if (scope.what == job_scope::kind::collection &&
            !std::binary_search(z.collections.begin(), z.collections.end(), scope.collection_key))
            continue;
        if (after_cursor(z.library_id, z.key))
            out.items.push_back(&z);
    }
    return out;
}

} // namespace sieve
