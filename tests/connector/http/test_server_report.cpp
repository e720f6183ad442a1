// `sieve serve` end to end, GET /v1/report: the page of a real Zotero 7 library and of one of its
// collections, its counts equal to a bulk job's over the same library (and then taken from the
// state store), and the request errors. Runs the real binary.
#define BOOST_TEST_MODULE server_report
#include "tests/support/json_schema_validator.hpp"
#include "tests/support/server_process.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <thread>

using namespace sieve::test;
namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

struct fixture {
    fixture() {
        ::setenv("XDG_CACHE_HOME", (dir.path / "cache").c_str(), 1);
        db = dir.path / "zotero" / "zotero.sqlite";
        fs::create_directories(db.parent_path());
        fs::copy_file(
            env_or_fail("SIEVE_SHARED") + "/zotero-libraries/zotero7-schema123-imaging.sqlite", db);
        server = std::make_unique<server_process>(dir.path / "state",
                                                  std::vector<std::string>{"--db", db.string()});
    }
    http_reply call(const std::string& method, const std::string& target) {
        return http_call(server->port, server->token, method, target);
    }
    json::object report(const std::string& target) {
        auto r = call("GET", target);
        BOOST_REQUIRE_MESSAGE(r.status == 200u, target << ": " << r.status << ' ' << r.body);
        static const auto schema =
            json_schema_validator::from_file(schema_path("report.response.schema.json"));
        auto errors = schema.validate(r.json());
        BOOST_TEST(errors.empty(), (errors.empty() ? "" : errors.front()));
        return r.json().as_object();
    }
    void error(const std::string& method, const std::string& target, unsigned status,
               const std::string& code) {
        auto r = call(method, target);
        BOOST_TEST(r.status == status, target << ": " << r.body);
        static const auto schema =
            json_schema_validator::from_file(schema_path("error.schema.json"));
        BOOST_TEST(schema.validate(r.json()).empty());
        BOOST_TEST(std::string(r.json().at("error").at("code").as_string()) == code, r.body);
    }
    std::int64_t scalar(const std::string& sql) {
        SQLite::Database d("file:" + db.string() + "?immutable=1",
                           SQLite::OPEN_READONLY | SQLite::OPEN_URI);
        return d.execAndGet(sql).getInt64();
    }
    temp_dir dir;
    fs::path db;
    std::unique_ptr<server_process> server;
};

// The report data inside a page.
json::object page_data(const json::object& answer) {
    const std::string page(answer.at("html").as_string());
    const std::string open = "id=\"sieve-report-data\">";
    const auto begin = page.find(open) + open.size();
    return json::parse(page.substr(begin, page.find("</script>", begin) - begin)).as_object();
}

const char* const regular_items =
    "SELECT count(*) FROM items JOIN itemTypes USING (itemTypeID) WHERE typeName NOT IN "
    "('note','attachment','annotation') AND itemID NOT IN (SELECT itemID FROM deletedItems)";

} // namespace

BOOST_FIXTURE_TEST_CASE(report_equals_the_bulk_job_and_then_comes_from_the_store, fixture) {
    const std::int64_t n = scalar(regular_items);
    json::object first = report("/v1/report");
    BOOST_TEST(first.at("items").as_int64() == n);
    BOOST_TEST(first.at("judged_now").as_int64() == n);
    BOOST_TEST(std::string(first.at("html").as_string()).starts_with("<!DOCTYPE html>"));

    auto started =
        http_call(server->port, server->token, "POST", "/v1/jobs", R"({"scope":"library"})");
    BOOST_REQUIRE_MESSAGE(started.status == 202u, started.body);
    const std::string id(started.json().at("id").as_string());
    json::object job;
    for (int i = 0; i < 800; ++i) {
        job = call("GET", "/v1/jobs/" + id).json().as_object();
        if (job.at("state") != "running")
            break;
        std::this_thread::sleep_for(25ms);
    }
    BOOST_REQUIRE(job.at("state") == "done");

    json::object second = report("/v1/report?library=1");
    BOOST_TEST(second.at("from_cache").as_int64() == n);
    BOOST_TEST(second.at("judged_now").as_int64() == 0);
    json::object d = page_data(second);
    for (const char* v : {"relevant", "application", "irrelevant"})
        BOOST_TEST(d.at("totals").at(v) == job.at("counts").at(v), v);
    for (const auto& row : d.at("topics").as_array()) {
        const auto& t = row.at("topic").as_string();
        if (t == "(no topic)")
            continue; // jobs count topics only
        const json::value* expected = job.at("topics").as_object().if_contains(t);
        const std::int64_t sum = row.at("relevant").as_int64() + row.at("application").as_int64() +
                                 row.at("irrelevant").as_int64();
        BOOST_TEST(sum == (expected ? expected->as_int64() : 0), t);
    }
    BOOST_TEST(page_data(first).at("topics") == d.at("topics")); // judged now = as the job judged
}

BOOST_FIXTURE_TEST_CASE(report_of_a_collection, fixture) {
    json::object r = report("/v1/report?library=1&collection=B2633IF8");
    BOOST_TEST(r.at("items").as_int64() ==
               scalar("SELECT count(*) FROM collectionItems JOIN collections USING (collectionID) "
                      "WHERE key = 'B2633IF8' AND itemID IN (SELECT itemID FROM items JOIN "
                      "itemTypes USING (itemTypeID) WHERE typeName NOT IN ('note','attachment',"
                      "'annotation') AND itemID NOT IN (SELECT itemID FROM deletedItems))"));
    BOOST_TEST(std::string(r.at("title").as_string()).find(" \u203a ") != std::string::npos);
    BOOST_TEST(report("/v1/report?library=1&collection=HZ3FCVFE").at("items").as_int64() == 0);
}

BOOST_FIXTURE_TEST_CASE(request_errors, fixture) {
    for (const char* bad : {"/v1/report?library=x", "/v1/report?library=0",
                            "/v1/report?collection=B2633IF8", "/v1/report?library=1&library=2",
                            "/v1/report?foo=1", "/v1/report?library=1&collection=b2633if8"})
        error("GET", bad, 400, "invalid_request");
    error("GET", "/v1/report?library=99", 404, "not_found");
    error("GET", "/v1/report?library=1&collection=ZZZZ9999", 404, "not_found");
    error("POST", "/v1/report", 405, "method_not_allowed");
    auto r = http_call(server->port, "wrong-token", "GET", "/v1/report");
    BOOST_TEST(r.status == 401u);
}
