#include "connector/http/api.hpp"

#include "connector/jobs/personal_trainer.hpp"

#include "connector/wire/api_json.hpp"
#include "connector/llm/llm_judge.hpp"
#include "connector/http/request_guard.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace sieve {

namespace http = boost::beast::http;
namespace json = boost::json;

http_response json_response(http::status status, std::string body) {
    http_response res{status, 11};
    res.set(http::field::content_type, "application/json");
    res.set(http::field::cache_control, "no-store");
    res.body() = std::move(body);
    return res;
}

http_response json_error(http::status status, std::string_view code, std::string_view message) {
    return json_response(status, error_body(code, message));
}

std::optional<http_response> parse_body(const http_request& r, json::value& out) {
    boost::system::error_code ec;
    out = json::parse(r.body(), ec);
    if (!ec)
        return std::nullopt;
    return json_error(http::status::bad_request, "malformed_json",
                      "the body is not valid JSON: " + ec.message());
}

http_response invalid_request(const jcheck::error& e) {
    return json_error(http::status::bad_request, "invalid_request", e.what());
}

api::api(api_options options, library_cache* library, state_store* store,
         std::shared_ptr<const classifier> clf, std::string clf_error)
    : options_(std::move(options)), library_(library), store_(store), clf_(std::move(clf)),
      clf_error_(std::move(clf_error)), criteria_text_(options_.criteria_text),
      criteria_source_(options_.criteria_source) {}

std::shared_ptr<const classifier> api::current_classifier() const {
    std::lock_guard lock(mutex_);
    if (!clf_ || !personal_) return clf_;
    auto layer = personal_->layer();
    if (layer->empty()) return clf_;
    if (!personal_clf_ || personal_layer_ != layer || personal_base_ != clf_) {
        personal_clf_ = std::make_shared<classifier>(clf_->with_personal(layer));
        personal_layer_ = std::move(layer);
        personal_base_ = clf_;
    }
    return personal_clf_;
}

std::shared_ptr<const classifier> api::base_classifier() const {
    std::lock_guard lock(mutex_);
    return clf_;
}

std::optional<http_response> api::check_header(const http_header& h) {
    // Only the first of repeated fields would be checked below: a second Host or Origin could
    // reach code that reads another one. One of each, or 400.
    for (auto [field, name] : {std::pair{http::field::host, "Host"},
                               std::pair{http::field::origin, "Origin"},
                               std::pair{http::field::authorization, "Authorization"}})
        if (h.count(field) > 1)
            return json_error(http::status::bad_request, "bad_request",
                              std::string("more than one ") + name + " header");
    if (!host_allowed(h[http::field::host], options_.port))
        return json_error(http::status::forbidden, "forbidden_host",
                          "Host must be 127.0.0.1, localhost or [::1] with the server's port");
    if (auto o = h.find(http::field::origin); o != h.end() && !origin_allowed(o->value()))
        return json_error(http::status::forbidden, "forbidden_origin",
                          "requests from web pages (an Origin other than chrome://, "
                          "moz-extension:// or resource://) are refused");
    if (!bearer_matches(h[http::field::authorization], options_.token)) {
        auto res = json_error(http::status::unauthorized, "unauthorized",
                              "missing or wrong bearer token (see the token file)");
        res.set(http::field::www_authenticate, "Bearer");
        return res;
    }
    return std::nullopt;
}

std::optional<std::uint64_t> api::body_limit(const http_header& h) {
    std::string_view target = h.target();
    target = target.substr(0, target.find('?'));
    if (h.method() == http::verb::post && target == "/v1/jobs")
        return jobs_body_limit;
    return std::nullopt;
}

http_response method_not_allowed(std::string_view allow) {
    auto res = json_error(http::status::method_not_allowed, "method_not_allowed",
                          "this route accepts " + std::string(allow) + " only");
    res.set(http::field::allow, allow);
    return res;
}

http_response api::handle(const http_request& r) {
    if (r.method() != http::verb::head)
        return route(r);
    http_request get(r.base()); // HEAD is GET without the body: the session sends the header only
    get.method(http::verb::get);
    return route(get);
}

http_response api::route(const http_request& r) {
    std::string_view target = r.target();
    target = target.substr(0, target.find('?'));
    if (target == "/v1/health")
        return r.method() == http::verb::get ? health(r) : method_not_allowed("GET, HEAD");
    if (target == "/v1/classify")
        return r.method() == http::verb::post ? classify(r) : method_not_allowed("POST");
    if (target == "/v1/jobs" || target.starts_with("/v1/jobs/"))
        return jobs_route(r, target);
    if (target == "/v1/report")
        return r.method() == http::verb::get ? report(r) : method_not_allowed("GET");
    if (target == "/v1/undo")
        return r.method() == http::verb::post ? undo(r) : method_not_allowed("POST");
    if (target == "/v1/feedback")
        return r.method() == http::verb::post ? feedback(r) : method_not_allowed("POST");
    if (target.starts_with("/v1/feedback/"))
        return r.method() == http::verb::delete_
                   ? withdraw_feedback(r, target.substr(std::string_view("/v1/feedback/").size()))
                   : method_not_allowed("DELETE");
    if (target == "/v1/personal")
        return personal_route(r);
    if (target == "/v1/personal/affected")
        return r.method() == http::verb::post ? personal_affected(r) : method_not_allowed("POST");
    if (target == "/v1/criteria") {
        if (r.method() == http::verb::get)
            return get_criteria(r);
        if (r.method() == http::verb::put)
            return put_criteria(r);
        return method_not_allowed("GET, HEAD, PUT");
    }
    return json_error(http::status::not_found, "not_found",
                      "no route " + std::string(target) + " (see docs/http-api.md)");
}

http_response api::health(const http_request&) {
    json::object o;
    o["version"] = SIEVE_VERSION;
    auto clf = current_classifier();
    o["model_version"] = clf ? json::value(clf->model_version()) : json::value(nullptr);
    o["criteria_version"] = clf ? json::value(clf->criteria_version()) : json::value(nullptr);
    {
        std::lock_guard lock(mutex_);
        o["classifier_error"] = clf ? json::value(nullptr) : json::value(clf_error_);
    }
    o["tag_prefix"] = options_.tag_prefix;
    o["library_path"] = library_ ? json::value(library_->path().string()) : json::value(nullptr);
    o["item_count"] = nullptr;
    o["library_error"] = nullptr;
    if (library_) {
        auto view = library_->get();
        if (view.library)
            o["item_count"] = view.library->items.size();
        else
            o["library_error"] = view.error;
    }
    o["llm"] = llm_health(llm_);
    return json_response(http::status::ok, json::serialize(o));
}

std::optional<http_response> api::need_library(library_cache::view& out) const {
    if (!library_)
        return json_error(http::status::service_unavailable, "no_library",
                          "no Zotero database is configured");
    out = library_->get();
    if (!out.library)
        return json_error(http::status::service_unavailable, "library_unavailable", out.error);
    return std::nullopt;
}

} // namespace sieve
