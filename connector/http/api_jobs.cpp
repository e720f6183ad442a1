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

// The status as JSON; corrupt when the stored scope (the request body) is not JSON.
store_result<json::object> status_json(const job_status& s) {
    const job_record& r = s.record;
    json::object counts{{"relevant", 0}, {"application", 0}, {"irrelevant", 0}};
    for (const auto& [k, n] : r.counts.verdicts)
        counts[k] = n;
    json::object topics;
    for (const auto& [k, n] : r.counts.topics)
        topics[k] = n;
    boost::system::error_code ec;
    json::value scope = json::parse(r.scope_json, ec);
    if (ec || !scope.is_object())
        return store_error{true, "the stored scope of job " + std::to_string(r.id) +
                                     " is not a JSON object"};
    return json::object{
        {"id", std::to_string(r.id)},
        {"state", r.state},
        {"scope", std::move(scope)},
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

// 503 state_unavailable when the store cannot be read, 500 state_corrupt when it holds what Sieve
// does not write.
http_response store_failure(const store_error& e) {
    if (e.corrupt)
        return json_error(http::status::internal_server_error, "state_corrupt",
                          "the state store holds what Sieve did not write: " + e.message);
    return json_error(http::status::service_unavailable, "state_unavailable",
                      "the state store cannot be read: " + e.message);
}

http_response status_response(const job_status& s, http::status code = http::status::ok) {
    auto o = status_json(s);
    if (!o)
        return store_failure(o.error());
    return json_response(code, json::serialize(*o));
}

// A page of stored plan entries checked against what the job says it stored: seq after + 1,
// after + 2, ... without a gap, each a JSON object with that "seq", and as many as a finished
// job must have.
std::optional<store_error> check_page(const std::vector<plan_row>& rows, const job_record& job,
                                      std::int64_t after, std::int64_t limit) {
    const std::string of_job = " of job " + std::to_string(job.id);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::int64_t want = after + std::int64_t(i) + 1;
        if (rows[i].seq != want)
            return store_error{true, "plan entry " + std::to_string(want) + of_job + " is missing"};
        boost::system::error_code ec;
        json::value v = json::parse(rows[i].json, ec);
        const json::value* seq = !ec && v.is_object() ? v.as_object().if_contains("seq") : nullptr;
        if (!seq || *seq != json::value(want))
            return store_error{true, "plan entry " + std::to_string(want) + of_job +
                                         " is not a plan entry (JSON object with its seq)"};
    }
    const std::int64_t expected =
        std::min(limit, std::max<std::int64_t>(0, job.plan_entries - after));
    if (job.state != "running" && std::int64_t(rows.size()) < expected)
        return store_error{true, "job " + std::to_string(job.id) + " stored " +
                                     std::to_string(job.plan_entries) +
                                     " plan entries; some after " + std::to_string(after) +
                                     " are missing"};
    return std::nullopt;
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
        return list_jobs();
    }
    std::string_view rest = target.substr(std::string_view("/v1/jobs/").size());
    bool plan = rest.size() > 5 && rest.substr(rest.size() - 5) == "/plan";
    auto id = parse_count(plan ? rest.substr(0, rest.size() - 5) : rest);
    if (!id)
        return json_error(http::status::not_found, "not_found", "no such job");
    if (plan)
        return r.method() == http::verb::get ? job_plan(r, *id) : method_not_allowed("GET, HEAD");
    store_result<std::optional<job_status>> s = store_error{};
    if (r.method() == http::verb::get)
        s = jobs_->status(*id);
    else if (r.method() == http::verb::delete_)
        s = jobs_->cancel(*id);
    else
        return method_not_allowed("GET, HEAD, DELETE");
    if (!s)
        return store_failure(s.error());
    if (!*s)
        return json_error(http::status::not_found, "not_found", "no such job");
    return status_response(**s);
}

http_response api::list_jobs() {
    auto recent = jobs_->recent(20);
    if (!recent)
        return store_failure(recent.error());
    json::array list;
    for (const auto& s : *recent) {
        auto o = status_json(s);
        if (!o)
            return store_failure(o.error());
        list.push_back(std::move(*o));
    }
    return json_response(http::status::ok, json::serialize(json::object{{"jobs", list}}));
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
    auto found = jobs_->status(id); // read before the entries: "complete" never runs ahead
    if (!found)
        return store_failure(found.error());
    if (!*found)
        return json_error(http::status::not_found, "not_found", "no such job");
    const job_record& job = (*found)->record;
    // Entries are stored as JSON text with seq 1, 2, ...: the page is their concatenation.
    auto rows = store_->job_plan_page(id, *cursor, std::size_t(*limit));
    if (!rows)
        return store_failure(rows.error());
    if (auto bad = check_page(*rows, job, *cursor, *limit))
        return store_failure(*bad);
    std::int64_t next = *cursor + std::int64_t(rows->size());
    bool complete = job.state != "running" && next >= job.plan_entries;
    std::string body = "{\"id\":\"" + std::to_string(id) +
                       "\",\"state\":" + json::serialize(json::value(job.state)) +
                       ",\"entries\":[";
    for (std::size_t i = 0; i < rows->size(); ++i)
        body.append(i ? "," : "").append((*rows)[i].json);
    body += "],\"next_cursor\":\"" + std::to_string(next) +
            "\",\"complete\":" + (complete ? "true" : "false") + "}";
    return json_response(http::status::ok, std::move(body));
}

} // namespace sieve
