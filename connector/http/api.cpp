#include "connector/http/api.hpp"

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
    return clf_;
}

std::optional<http_response> api::check_header(const http_header& h) {
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

http_response method_not_allowed(std::string_view allow) {
    auto res = json_error(http::status::method_not_allowed, "method_not_allowed",
                          "this route accepts " + std::string(allow) + " only");
    res.set(http::field::allow, allow);
    return res;
}

http_response api::handle(const http_request& r) {
    std::string_view target = r.target();
    target = target.substr(0, target.find('?'));
    if (target == "/v1/health")
        return r.method() == http::verb::get ? health(r) : method_not_allowed("GET");
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
    if (target == "/v1/criteria") {
        if (r.method() == http::verb::get)
            return get_criteria(r);
        if (r.method() == http::verb::put)
            return put_criteria(r);
        return method_not_allowed("GET, PUT");
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

} // namespace sieve
