// GET /v1/report?library=ID[&collection=KEY]: the report page of a library or collection
// (connector/wire/report_page.hpp), inside JSON (schema/api/report.response.schema.json).
#include "connector/http/api.hpp"

#include "connector/jobs/report_source.hpp"
#include "connector/wire/report_page.hpp"

#include <boost/json/serialize.hpp>

#include <charconv>

namespace sieve {

namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

// The query's parameters; false (with `why`) for an unknown name, a repeated one or a bad value.
bool parse_report_query(std::string_view q, report_scope& s, std::string& why) {
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
                return why = "library must be a positive integer (a Zotero libraryID)", false;
            s.library_id = id;
        } else if (name == "collection" && !seen_collection) {
            seen_collection = true;
            const bool key = value.size() == 8 && std::all_of(value.begin(), value.end(), [](char c) {
                return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            });
            if (!key)
                return why = "collection must be a collection key (8 letters or digits)", false;
            s.collection_key = std::string(value);
        } else if (!part.empty()) {
            return why = "unknown or repeated parameter '" + std::string(name) +
                         "' (library and collection are known)", false;
        }
    }
    if (!s.collection_key.empty() && !s.library_id)
        return why = "collection needs library", false;
    return true;
}

} // namespace

http_response api::report(const http_request& r) {
    std::string_view target = r.target();
    const auto q = target.find('?');
    report_scope scope;
    std::string why;
    if (!parse_report_query(q == std::string_view::npos ? "" : target.substr(q + 1), scope, why))
        return json_error(http::status::bad_request, "invalid_request", why);
    auto clf = current_classifier();
    if (!clf) {
        std::lock_guard lock(mutex_);
        return json_error(http::status::service_unavailable, "classifier_unavailable", clf_error_);
    }
    if (!library_)
        return json_error(http::status::service_unavailable, "no_library",
                          "no Zotero database is configured");
    auto view = library_->get();
    if (!view.library)
        return json_error(http::status::service_unavailable, "library_unavailable", view.error);
    std::unique_ptr<stored_judgments> stored;
    if (store_)
        if (auto s = stored_judgments::open(options_.state_dir / "state.sqlite"))
            stored = std::move(*s);
    auto b = collect_library_report(*view.library, scope, *clf, {options_.tag_prefix, stored.get()});
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
