// GET /v1/report?library=ID[&collection=KEY]: the report page of a library or collection
// (connector/wire/report_page.hpp), inside JSON (schema/api/report.response.schema.json).
#include "connector/http/api.hpp"

#include "connector/jobs/report_source.hpp"
#include "connector/wire/report_page.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <optional>

namespace sieve {

namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

bool is_key(std::string_view v) {
    return v.size() == 8 && std::all_of(v.begin(), v.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
           });
}

// The query's parameters into `s`; else why not (an unknown name, a repeated one, a bad value).
std::optional<std::string> parse_report_query(std::string_view q, report_scope& s) {
    bool seen_library = false, seen_collection = false;
    while (!q.empty()) {
        std::string_view part = q.substr(0, q.find('&'));
        q.remove_prefix(std::min(q.size(), part.size() + 1));
        const auto eq = part.find('=');
        std::string_view name = part.substr(0, eq);
        std::string_view value = eq == std::string_view::npos ? "" : part.substr(eq + 1);
        if (name == "library" && !seen_library) {
            seen_library = true;
            std::int64_t id = 0;
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), id);
            if (ec != std::errc() || end != value.data() + value.size() || id < 1)
                return "library must be a positive integer (a Zotero libraryID)";
            s.library_id = id;
        } else if (name == "collection" && !seen_collection) {
            seen_collection = true;
            if (!is_key(value))
                return "collection must be a collection key (8 letters or digits)";
            s.collection_key = std::string(value);
        } else if (!part.empty()) {
            return "unknown or repeated parameter '" + std::string(name) +
                   "' (library and collection are known)";
        }
    }
    if (!s.collection_key.empty() && !s.library_id)
        return "collection needs library";
    return std::nullopt;
}

} // namespace

http_response api::report(const http_request& r) {
    std::string_view target = r.target();
    const auto q = target.find('?');
    report_scope scope;
    if (auto why =
            parse_report_query(q == std::string_view::npos ? "" : target.substr(q + 1), scope))
        return json_error(http::status::bad_request, "invalid_request", *why);
    auto clf = current_classifier();
    if (!clf) {
        std::lock_guard lock(mutex_);
        return json_error(http::status::service_unavailable, "classifier_unavailable", clf_error_);
    }
    library_cache::view view;
    if (auto unavailable = need_library(view))
        return *unavailable;
    std::unique_ptr<stored_judgments> stored;
    if (store_)
        if (auto s = stored_judgments::open(options_.state_dir / "state.sqlite"))
            stored = std::move(*s);
    auto b =
        collect_library_report(*view.library, scope, *clf, {options_.tag_prefix, stored.get()});
    if (!b)
        return json_error(http::status::not_found, "not_found", b.error());
    b->context.source = "Zotero database " + library_->path().string();
    b->context.sieve_version = SIEVE_VERSION;
    json::object out{{"title", b->context.title},
                     {"items", b->items.size()},
                     {"from_cache", b->context.from_cache},
                     {"judged_now", b->context.judged_now}};
    out["html"] = render_report_page(build_report_data(b->items, b->context));
    return json_response(http::status::ok, json::serialize(out));
}

} // namespace sieve
