// `sieve serve` end to end, the job routes over a broken state store (issue 17): what is read is
// checked, and a store that cannot be read or holds what Sieve did not write is a 503 / 500 with
// its own code, never a silent wrong answer. The store is damaged while the server runs, as a
// disk error or another program would. Runs the real binary ($SIEVE_BIN).
#define BOOST_TEST_MODULE server_store_errors
#include "tests/support/json_schema_validator.hpp"
#include "tests/support/library_copy.hpp"
#include "tests/support/server_process.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <thread>

using namespace sieve::test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

void expect_error(const http_reply& r, unsigned status, const std::string& code) {
    static const auto schema = json_schema_validator::from_file(schema_path("error.schema.json"));
    BOOST_TEST(r.status == status, r.status << ' ' << r.body);
    boost::system::error_code ec;
    json::value v = json::parse(r.body, ec);
    BOOST_REQUIRE_MESSAGE(!ec, "not JSON: " << r.body);
    auto errors = schema.validate(v);
    BOOST_TEST(errors.empty(), (errors.empty() ? "" : errors.front()));
    BOOST_TEST(std::string(v.at("error").at("code").as_string()) == code, r.body);
}

// A server over a library copy with one finished library job (which has plan entries).
struct finished_job {
    finished_job() : server(lib.dir.path / "state", {"--db", lib.db.string()}) {
        auto r = call("POST", "/v1/jobs", R"({"scope": "library", "libraryID": 1})");
        BOOST_REQUIRE_MESSAGE(r.status == 202u, r.body);
        id = std::string(r.json().at("id").as_string());
        for (int i = 0; i < 600; ++i) {
            auto s = call("GET", "/v1/jobs/" + id).json();
            if (s.at("state") != "running") {
                entries = s.at("plan_entries").as_int64();
                break;
            }
            std::this_thread::sleep_for(25ms);
        }
        BOOST_REQUIRE(entries > 2);
    }
    http_reply call(const std::string& method, const std::string& target,
                    const std::string& body = {}) {
        return http_call(server.port, server.token, method, target, body);
    }
    // Another connection to the server's state store, as a damaging program would open it.
    void damage(const std::string& sql) {
        SQLite::Database db((lib.dir.path / "state" / "state.sqlite").string(),
                            SQLite::OPEN_READWRITE);
        db.exec(sql);
    }
    library_copy lib;
    server_process server;
    std::string id;
    std::int64_t entries = 0;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(store_errors, finished_job)

BOOST_AUTO_TEST_CASE(plan_rows_that_are_not_json_are_a_500_not_served) {
    BOOST_TEST(call("GET", "/v1/jobs/" + id + "/plan?limit=3").status == 200u);
    damage("UPDATE job_plan SET entry_json = 'not json {' WHERE job_id = " + id + " AND seq = 2");
    expect_error(call("GET", "/v1/jobs/" + id + "/plan?limit=3"), 500, "state_corrupt");
    // Entries before the damaged one are still served.
    auto r = call("GET", "/v1/jobs/" + id + "/plan?limit=1");
    BOOST_TEST(r.status == 200u);
    damage("UPDATE job_plan SET entry_json = '[1, 2]' WHERE job_id = " + id + " AND seq = 3");
    expect_error(call("GET", "/v1/jobs/" + id + "/plan?cursor=2&limit=1"), 500, "state_corrupt");
}

BOOST_AUTO_TEST_CASE(missing_plan_rows_of_a_finished_job_are_a_500) {
    damage("DELETE FROM job_plan WHERE job_id = " + id + " AND seq = 2");
    expect_error(call("GET", "/v1/jobs/" + id + "/plan?limit=5"), 500, "state_corrupt");
    damage("DELETE FROM job_plan WHERE job_id = " + id + " AND seq > 2");
    expect_error(call("GET", "/v1/jobs/" + id + "/plan?cursor=2"), 500, "state_corrupt");
}

BOOST_AUTO_TEST_CASE(a_plan_table_gone_is_a_503_not_complete_false_forever) {
    damage("DROP TABLE job_plan");
    expect_error(call("GET", "/v1/jobs/" + id + "/plan"), 503, "state_unavailable");
    expect_error(call("GET", "/v1/jobs/" + id + "/plan?cursor=" + std::to_string(entries)), 503,
                 "state_unavailable");
}

BOOST_AUTO_TEST_CASE(job_list_and_status_report_a_broken_store) {
    auto list = call("GET", "/v1/jobs");
    BOOST_TEST(list.status == 200u);
    BOOST_TEST(list.json().at("jobs").as_array().size() == 1u);
    damage("DROP TABLE job_plan; DROP TABLE jobs");
    expect_error(call("GET", "/v1/jobs"), 503, "state_unavailable");
    expect_error(call("GET", "/v1/jobs/" + std::to_string(std::stoll(id) + 1)), 503,
                 "state_unavailable");
    BOOST_TEST(call("POST", "/v1/jobs", R"({"scope": "library"})").status >= 500u);
}

BOOST_AUTO_TEST_CASE(a_job_row_sieve_did_not_write_is_a_500) {
    damage("UPDATE jobs SET counts_json = 'garbage' WHERE id = " + id);
    // The finished job is no longer the runner's own: ask for it after a restart.
    server.stop(SIGTERM);
    server_process again(lib.dir.path / "state", {"--db", lib.db.string()});
    auto r = http_call(again.port, again.token, "GET", "/v1/jobs/" + id);
    expect_error(r, 500, "state_corrupt");
    expect_error(http_call(again.port, again.token, "GET", "/v1/jobs"), 500, "state_corrupt");
}

BOOST_AUTO_TEST_SUITE_END()
