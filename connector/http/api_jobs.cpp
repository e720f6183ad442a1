// The bulk job routes: POST/GET /v1/jobs, GET/DELETE /v1/jobs/{id}, GET /v1/jobs/{id}/plan.
#include "connector/http/api.hpp"

#include "connector/jobs/job_runner.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>

namespace sieve {

namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

json::object status_json(const job_status& s) {
    const job_record& r = s.record;
    json::object counts{{"relevant", 0}, {"application", 0}, {"irrelevant", 0}};
    for (const auto& [k, n] : r.counts.verdicts)
        counts[k] = n;
    json::object topics;
    for (const auto& [k, n] : r.counts.topics)
        topics[k] = n;
    boost::system::error_code ec;
    json::value scope = json::parse(r.scope_json, ec);
    return json::object{
        {"id", std::to_string(r.id)},
        {"state", r.state},
        {"scope", ec ? json::value(nullptr) : scope},
        {"created_at", r.created_at},
        {"finished_at", r.finished_at ? json::value(*r.finished_at) : json::value(nullptr)},
        {"model_version", r.model_version},
        {"criteria_version", r.criteria_version},
        {"total", r.total},
        {"done", r.done},
        {"rate", s.rate},
        {"eta_seconds", s.eta_seconds ? json::value(*s.eta_seconds) : json::value(nullptr)},
        {"counts", std::move(counts)},
        {"topics", std::move(topics)},
        {"changes", r.counts.changes},
        {"user_edited", r.counts.user_edited},
        {"read_only", r.counts.read_only},
        {"errors", r.counts.errors},
        {"llm_judged", r.counts.llm_judged},
        {"llm_queued", r.counts.llm_queued},
        {"plan_entries", r.plan_entries},
        {"error", r.error.empty() ? json::value(nullptr) : json::value(r.error)}};
}

http_response status_response(const job_status& s, http::status code = http::status::ok) {
    return json_response(code, json::serialize(status_json(s)));
}

// A non-negative decimal without sign or leading junk; none otherwise.
std::optional<std::int64_t> parse_count(std::string_view s) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v < 0 || s.empty())
        return std::nullopt;
    return v;
}

// The value of `name` in the query string `q` ("a=1&b=2"); none when absent.
std::optional<std::string_view> query_value(std::string_view q, std::string_view name) {
    while (!q.empty()) {
        std::string_view part = q.substr(0, q.find('&'));
        q.remove_prefix(std::min(q.size(), part.size() + 1));
        if (part.substr(0, name.size()) == name && part.size() > name.size() &&
            part[name.size()] == '=')
            return part.substr(name.size() + 1);
    }
    return std::nullopt;
}

http_response unavailable(std::string_view code, std::string_view message) {
    return json_error(http::status::service_unavailable, code, message);
}

} // namespace

http_response api::jobs_route(const http_request& r, std::string_view target) {
    if (!jobs_)
        return store_ ? unavailable("no_library", "no Zotero database is configured")
                      : unavailable("state_unavailable", "the state store could not be opened");
    if (target == "/v1/jobs") {
        if (r.method() == http::verb::post)
            return start_job(r);
        if (r.method() != http::verb::get)
            return method_not_allowed("GET, HEAD, POST");
        json::array list;
        for (const auto& s : jobs_->recent(20))
            list.push_back(status_json(s));
        return json_response(http::status::ok, json::serialize(json::object{{"jobs", list}}));
    }
    std::string_view rest = target.substr(std::string_view("/v1/jobs/").size());
    bool plan = rest.size() > 5 && rest.substr(rest.size() - 5) == "/plan";
    auto id = parse_count(plan ? rest.substr(0, rest.size() - 5) : rest);
    if (!id)
        return json_error(http::status::not_found, "not_found", "no such job");
    if (plan)
        return r.method() == http::verb::get ? job_plan(r, *id) : method_not_allowed("GET, HEAD");
    std::optional<job_status> s;
    if (r.method() == http::verb::get)
        s = jobs_->status(*id);
    else if (r.method() == http::verb::delete_)
        s = jobs_->cancel(*id);
    else
        return method_not_allowed("GET, HEAD, DELETE");
    if (!s)
        return json_error(http::status::not_found, "not_found", "no such job");
    return status_response(*s);
}

http_response api::start_job(const http_request& r) {
    json::value body;
    if (auto bad = parse_body(r, body))
        return *bad;
    auto scope = parse_job_request(body);
    if (!scope)
        return invalid_request(scope.error());
    auto s = jobs_->start(*scope, json::serialize(body));
    if (!s)
        return json_error(http::status(s.error().status), s.error().code, s.error().message);
    return status_response(*s, http::status::accepted);
}

http_response api::job_plan(const http_request& r, std::int64_t id) {
    std::string_view target = r.target();
    auto q = target.find('?');
    std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
    auto cursor_text = query_value(query, "cursor");
    auto limit_text = query_value(query, "limit");
    auto cursor = cursor_text ? parse_count(*cursor_text) : std::optional<std::int64_t>(0);
    auto limit = limit_text ? parse_count(*limit_text) : std::optional<std::int64_t>(500);
    if (!cursor || !limit || *limit < 1 || *limit > 1000)
        return json_error(http::status::bad_request, "invalid_request",
                          "cursor must be a non-negative integer, limit 1-1000");
    auto s = jobs_->status(id); // read before the entries: "complete" never runs ahead
    if (!s)
        return json_error(http::status::not_found, "not_found", "no such job");
    // Entries are stored as JSON text with seq 1, 2, ...: the page is their concatenation.
    auto texts = store_->job_plan_page(id, *cursor, std::size_t(*limit));
    std::int64_t next = *cursor + std::int64_t(texts.size());
    bool complete = s->record.state != "running" && next >= s->record.plan_entries;
    std::string body = "{\"id\":\"" + std::to_string(id) +
                       "\",\"state\":" + json::serialize(json::value(s->record.state)) +
                       ",\"entries\":[";
    for (std::size_t i = 0; i < texts.size(); ++i)
        body.append(i ? "," : "").append(texts[i]);
    body += "],\"next_cursor\":\"" + std::to_string(next) +
            "\",\"complete\":" + (complete ? "true" : "false") + "}";
    return json_response(http::status::ok, std::move(body));
}

} // namespace sieve
