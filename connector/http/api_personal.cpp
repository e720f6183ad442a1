// GET / DELETE /v1/personal (the personal layer learned from the corrections) and
// DELETE /v1/feedback/<id> (withdraw one correction). docs/http-api.md.
#include "connector/http/api.hpp"

#include "connector/jobs/job_scope.hpp"
#include "connector/jobs/judge_item.hpp"
#include "connector/jobs/personal_trainer.hpp"

#include <boost/json/serialize.hpp>

#include <charconv>

namespace sieve {

namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

template <class T> json::value or_null(const std::optional<T>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

http_response no_store() {
    return json_error(http::status::service_unavailable, "state_unavailable",
                      "the state store could not be opened at start-up");
}

// The item's Sieve verdict as its tags say (either type); none for no verdict tag or several.
std::optional<verdict> tagged_verdict(const zotero_item& z, std::string_view prefix) {
    std::optional<verdict> found;
    for (const auto& t : z.tags) {
        if (!t.name.starts_with(prefix)) continue;
        auto v = verdict_from_string(std::string_view(t.name).substr(prefix.size()));
        if (!v) continue;
        if (found && *found != *v) return std::nullopt;
        found = v;
    }
    return found;
}

} // namespace

// schema/api/personal.affected.response.schema.json: the items of a job scope whose Sieve
// verdict tag differs from the verdict the classifier in use (with the personal layer) gives.
http_response api::personal_affected(const http_request& r) {
    json::value body;
    if (auto bad = parse_body(r, body))
        return *bad;
    auto scope = parse_job_request(body);
    if (!scope)
        return invalid_request(scope.error());
    library_cache::view view;
    if (auto unavailable = need_library(view))
        return *unavailable;
    auto clf = current_classifier();
    if (!clf)
        return json_error(http::status::service_unavailable, "classifier_unavailable",
                          "no classifier");
    auto sel = select_job_items(*view.library, *scope, std::nullopt);
    json::array items;
    std::int64_t tagged = 0;
    for (const zotero_item* z : sel.items) {
        auto now = tagged_verdict(*z, options_.tag_prefix);
        if (!now) continue;
        ++tagged;
        const verdict v = clf->judge(paper_from_item(*z, options_.tag_prefix)).label;
        if (v != *now)
            items.push_back(json::object{{"libraryID", z->library_id}, {"key", z->key},
                                         {"verdict", to_string(v)}, {"tagged", to_string(*now)}});
    }
    json::object out{{"judge", "sieve-local " + clf->model_version()}, {"total", tagged},
                     {"affected", std::int64_t(items.size())}, {"items", std::move(items)}};
    return json_response(http::status::ok, json::serialize(out));
}

// schema/api/personal.response.schema.json
http_response api::personal_route(const http_request& r) {
    if (r.method() != http::verb::get && r.method() != http::verb::delete_)
        return method_not_allowed("GET, HEAD, DELETE");
    if (!store_ || !personal_)
        return no_store();
    std::int64_t withdrawn = 0;
    if (r.method() == http::verb::delete_) {
        auto n = store_->withdraw_all_feedback();
        if (!n)
            return json_error(http::status::internal_server_error, "internal_error", n.error());
        personal_->reset(); // the shipped model from now on
        withdrawn = *n;
    }
    auto active = store_->active_corrections();
    if (!active)
        return json_error(active.error().corrupt ? http::status::internal_server_error
                                                 : http::status::service_unavailable,
                          active.error().corrupt ? "state_corrupt" : "state_unavailable",
                          active.error().message);
    const auto st = personal_->current();
    auto clf = current_classifier();
    json::object out{{"corrections", std::int64_t(active->size())},
                     {"learned", st.corrections},
                     {"last_trained", or_null(st.trained_at)},
                     {"agreement", or_null(st.agreement)},
                     {"training", st.training},
                     {"judge", clf ? json::value("sieve-local " + clf->model_version())
                                   : json::value(nullptr)}};
    if (r.method() == http::verb::delete_)
        out["withdrawn"] = withdrawn;
    return json_response(http::status::ok, json::serialize(out));
}

// schema/api/feedback.delete.response.schema.json
http_response api::withdraw_feedback(const http_request&, std::string_view id_text) {
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
    if (ec != std::errc() || end != id_text.data() + id_text.size() || id < 1)
        return json_error(http::status::bad_request, "invalid_request",
                          "expected /v1/feedback/<id>, the feedback_id POST /v1/feedback gave");
    if (!store_ || !personal_)
        return no_store();
    auto done = store_->withdraw_feedback(id);
    if (!done)
        return json_error(http::status::internal_server_error, "internal_error", done.error());
    if (!*done)
        return json_error(http::status::not_found, "not_found",
                          "no active correction " + std::to_string(id));
    personal_->changed();
    json::object out{{"feedback_id", id}, {"withdrawn", true}};
    return json_response(http::status::ok, json::serialize(out));
}

} // namespace sieve
