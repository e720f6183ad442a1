// `sieve serve` end to end, bulk jobs: progress, paging, cancel, restart after kill -9, and a
// second job over a library the first job's plan was applied to (written into the copy as
// Zotero would) reports nothing to change. Also POST /v1/undo.
#define BOOST_TEST_MODULE server_jobs
#include "tests/support/json_schema_validator.hpp"
#include "tests/support/server_process.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <set>
#include <thread>

using namespace sieve::test;
namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

const auto& status_schema() {
    static const auto s = json_schema_validator::from_file(schema_path("job.response.schema.json"));
    return s;
}
const auto& page_schema() {
    static const auto s =
        json_schema_validator::from_file(schema_path("job_plan.response.schema.json"));
    return s;
}

void expect_valid(const json_schema_validator& schema, const json::value& v) {
    auto errors = schema.validate(v);
    BOOST_TEST(errors.empty(), (errors.empty() ? "" : errors.front()) << " in "
                                                                      << json::serialize(v));
}

// A copy of a real Zotero 7 library (regular items in library 1).
struct library_copy {
    library_copy() {
        ::setenv("XDG_CACHE_HOME", (dir.path / "cache").c_str(), 1);
        db = dir.path / "zotero" / "zotero.sqlite";
        fs::create_directories(db.parent_path());
        fs::copy_file(
            env_or_fail("SIEVE_SHARED") + "/zotero-libraries/zotero7-schema123-imaging.sqlite", db);
        SQLite::Database d(db.string());
        regular = d.execAndGet("SELECT count(*) FROM items JOIN itemTypes USING (itemTypeID) "
                               "WHERE typeName NOT IN ('note','attachment','annotation') AND "
                               "itemID NOT IN (SELECT itemID FROM deletedItems)")
                      .getInt64();
    }
    temp_dir dir;
    fs::path db;
    std::int64_t regular = 0;
};

struct client {
    server_process& s;
    http_reply call(const std::string& method, const std::string& target,
                    const std::string& body = {}) {
        return http_call(s.port, s.token, method, target, body);
    }
    json::object ok(const std::string& method, const std::string& target,
                    const std::string& body = {}, unsigned status = 200) {
        auto r = call(method, target, body);
        BOOST_REQUIRE_MESSAGE(r.status == status, method << ' ' << target << ": " << r.status
                                                         << ' ' << r.body);
        return r.json().as_object();
    }
    json::object status(const std::string& id) {
        auto o = ok("GET", "/v1/jobs/" + id);
        expect_valid(status_schema(), o);
        return o;
    }
    json::object wait(const std::string& id) {
        for (int i = 0; i < 600; ++i) {
            auto o = status(id);
            if (o.at("state") != "running")
                return o;
            std::this_thread::sleep_for(25ms);
        }
        BOOST_FAIL("job " << id << " did not finish");
        return {};
    }
    // Every entry of a finished job, paged `limit` at a time.
    json::array all_entries(const std::string& id, int limit) {
        json::array out;
        std::string cursor = "0";
        for (int guard = 0; guard < 10000; ++guard) {
            auto page = ok("GET", "/v1/jobs/" + id + "/plan?cursor=" + cursor +
                                      "&limit=" + std::to_string(limit));
            expect_valid(page_schema(), page);
            for (auto& e : page.at("entries").as_array())
                out.push_back(e);
            cursor = std::string(page.at("next_cursor").as_string());
            if (page.at("complete").as_bool())
                return out;
            if (page.at("entries").as_array().empty())
                std::this_thread::sleep_for(20ms);
        }
        BOOST_FAIL("paging did not complete");
        return out;
    }
};

std::string start(client& c, const std::string& body) {
    auto o = c.ok("POST", "/v1/jobs", body, 202);
    expect_valid(status_schema(), o);
    return std::string(o.at("id").as_string());
}

// Seq 1..n in order, one entry per item.
void expect_well_formed(const json::array& entries) {
    std::set<std::string> keys;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        BOOST_TEST(entries[i].at("seq") == json::value(std::int64_t(i + 1)));
        keys.insert(std::string(entries[i].at("key").as_string()));
    }
    BOOST_TEST(keys.size() == entries.size());
}

std::int64_t item_id(SQLite::Database& d, const json::value& e) {
    SQLite::Statement q(d, "SELECT itemID FROM items WHERE libraryID = ? AND key = ?");
    q.bind(1, e.at("libraryID").as_int64());
    q.bind(2, std::string(e.at("key").as_string()));
    BOOST_REQUIRE(q.executeStep());
    return q.getColumn(0).getInt64();
}

// Writes one plan entry into the library copy the way Zotero stores the result.
void apply_to_db(SQLite::Database& d, const json::value& e, int& notes) {
    std::int64_t id = item_id(d, e);
    const auto& plan = e.at("plan");
    for (const auto& t : plan.at("remove_tags").as_array()) {
        SQLite::Statement q(d, "DELETE FROM itemTags WHERE itemID = ? AND tagID = "
                               "(SELECT tagID FROM tags WHERE name = ?)");
        q.bind(1, id);
        q.bind(2, std::string(t.at("tag").as_string()));
        q.exec();
    }
    for (const auto& t : plan.at("add_tags").as_array()) {
        SQLite::Statement n(d, "INSERT OR IGNORE INTO tags (name) VALUES (?)");
        n.bind(1, std::string(t.at("tag").as_string()));
        n.exec();
        SQLite::Statement q(d, "INSERT INTO itemTags SELECT ?, tagID, ? FROM tags WHERE name = ?");
        q.bind(1, id);
        q.bind(2, int(t.at("type").as_int64()));
        q.bind(3, std::string(t.at("tag").as_string()));
        q.exec();
    }
    if (plan.at("note").at("action") != "create")
        return;
    std::string key = "SVNT" + std::string(1, "ABCDEFGHIJKLMNPQRSTUVWXYZ"[notes / 25]) +
                      std::string(1, "ABCDEFGHIJKLMNPQRSTUVWXYZ"[notes % 25]) + "22";
    ++notes;
    SQLite::Statement item(d, "INSERT INTO items (itemTypeID, libraryID, key) VALUES "
                              "((SELECT itemTypeID FROM itemTypes WHERE typeName = 'note'), ?, ?)");
    item.bind(1, e.at("libraryID").as_int64());
    item.bind(2, key);
    item.exec();
    SQLite::Statement note(d, "INSERT INTO itemNotes (itemID, parentItemID, note, title) "
                              "VALUES (?, ?, ?, '')");
    note.bind(1, d.getLastInsertRowid());
    note.bind(2, id);
    note.bind(3, std::string(plan.at("note").at("html").as_string()));
    note.exec();
}

} // namespace

BOOST_AUTO_TEST_CASE(a_library_job_pages_its_plan_and_a_rerun_after_applying_changes_nothing) {
    library_copy lib;
    server_process server(lib.dir.path / "state", {"--db", lib.db.string(), "--job-step", "3"});
    client c{server};
    std::string id = start(c, R"({"scope": "library"})");
    auto final = c.wait(id);
    BOOST_TEST(final.at("state") == "done");
    BOOST_TEST(final.at("total") == json::value(lib.regular));
    BOOST_TEST(final.at("done") == json::value(lib.regular));
    std::int64_t judged = 0;
    for (const auto& kv : final.at("counts").as_object())
        judged += kv.value().as_int64();
    BOOST_TEST(judged == lib.regular);
    BOOST_TEST(final.at("eta_seconds").is_null());
    auto entries = c.all_entries(id, 4);
    expect_well_formed(entries);
    BOOST_TEST(json::value(std::int64_t(entries.size())) == final.at("plan_entries"));
    BOOST_TEST(final.at("changes") == json::value(lib.regular)); // nothing tagged yet
    {
        SQLite::Database d(lib.db.string(), SQLite::OPEN_READWRITE);
        SQLite::Transaction tx(d);
        int notes = 0;
        for (const auto& e : entries)
            apply_to_db(d, e, notes);
        tx.commit();
    }
    std::string again = start(c, R"({"scope": "library", "libraryID": 1})");
    auto second = c.wait(again);
    BOOST_TEST(second.at("changes") == 0);
    BOOST_TEST(c.all_entries(again, 500).empty());
    BOOST_TEST(second.at("counts") == final.at("counts")); // the cached judgments
    auto list = c.ok("GET", "/v1/jobs");
    expect_valid(json_schema_validator::from_file(schema_path("jobs.response.schema.json")), list);
    BOOST_TEST(list.at("jobs").at(0).at("id") == json::value(again));
}

BOOST_AUTO_TEST_CASE(cancel_stops_a_running_job_and_keeps_what_it_stored) {
    library_copy lib;
    server_process server(lib.dir.path / "state",
                          {"--db", lib.db.string(), "--job-step", "2", "--job-pause-ms", "400"});
    client c{server};
    std::string id = start(c, R"({"scope": "library"})");
    auto second = c.call("POST", "/v1/jobs", R"({"scope": "library"})");
    BOOST_TEST(second.status == 409u);
    BOOST_TEST(second.json().at("error").at("code") == "job_running");
    auto cancelled = c.ok("DELETE", "/v1/jobs/" + id);
    expect_valid(status_schema(), cancelled);
    BOOST_TEST(cancelled.at("state") == "cancelled");
    BOOST_TEST(cancelled.at("done").as_int64() < lib.regular);
    auto entries = c.all_entries(id, 1000);
    expect_well_formed(entries);
    BOOST_TEST(json::value(std::int64_t(entries.size())) == cancelled.at("plan_entries"));
    BOOST_TEST(c.ok("DELETE", "/v1/jobs/" + id) == cancelled); // finished: unchanged
    start(c, R"({"scope": "items", "items": [{"libraryID": 1, "key": "NOSUCHKY"}]})");
}

BOOST_AUTO_TEST_CASE(a_job_killed_or_stopped_mid_way_resumes_after_restart_and_loses_nothing) {
    library_copy lib;
    fs::path state = lib.dir.path / "state";
    std::vector<std::string> args{"--db", lib.db.string(), "--job-step", "2", "--job-pause-ms",
                                  "500"};
    json::array before;
    std::string id;
    {
        server_process server(state, args);
        client c{server};
        id = start(c, R"({"scope": "library", "libraryID": 1})");
        json::object page;
        for (int i = 0; i < 200; ++i) {
            page = c.ok("GET", "/v1/jobs/" + id + "/plan");
            if (!page.at("entries").as_array().empty())
                break;
            std::this_thread::sleep_for(10ms);
        }
        before = page.at("entries").as_array();
        BOOST_REQUIRE(!before.empty());
        BOOST_REQUIRE(c.status(id).at("state") == "running");
        server.stop(SIGKILL);
    }
    {
        server_process resumed(state, args); // SIGTERM now: the step under way is stored, exit 0
        BOOST_TEST(resumed.output.find("resumed") != std::string::npos, resumed.output);
        BOOST_TEST(resumed.stop(SIGTERM) == 0);
    }
    server_process again(state, args);
    BOOST_TEST(again.output.find("resumed") != std::string::npos, again.output);
    client c{again};
    auto final = c.wait(id);
    BOOST_TEST(final.at("state") == "done");
    BOOST_TEST(final.at("done") == json::value(lib.regular));
    auto entries = c.all_entries(id, 7);
    expect_well_formed(entries);
    BOOST_TEST(entries.size() == std::size_t(lib.regular));
    for (std::size_t i = 0; i < before.size(); ++i)
        BOOST_TEST(entries[i] == before[i]); // acknowledged entries are unchanged
}

BOOST_AUTO_TEST_CASE(bad_job_requests_change_nothing) {
    library_copy lib;
    server_process server(lib.dir.path / "state", {"--db", lib.db.string()});
    client c{server};
    const auto request_schema =
        json_schema_validator::from_file(schema_path("jobs.request.schema.json"));
    for (const char* body : {R"({"scope": "everything"})", R"({"scope": "library", "x": 1})",
                             R"({"scope": "collection", "libraryID": 1})",
                             R"({"scope": "items"})", R"({"scope": "items", "items": [{"key": "A"}]})",
                             R"({"scope": "library", "libraryID": 0})",
                             R"({"scope": "library", "tagType": 2})", R"([])", R"({})"}) {
        BOOST_TEST(!request_schema.validate(json::parse(body)).empty(), body);
        auto r = c.call("POST", "/v1/jobs", body);
        BOOST_TEST(r.status == 400u, body << " -> " << r.status);
    }
    BOOST_TEST(c.call("POST", "/v1/jobs", "{").status == 400u);
    BOOST_TEST(c.call("POST", "/v1/jobs", R"({"scope": "library", "libraryID": 99})").status ==
               404u);
    BOOST_TEST(c.ok("GET", "/v1/jobs").at("jobs").as_array().empty());
    BOOST_TEST(c.call("GET", "/v1/jobs/1").status == 404u);
    BOOST_TEST(c.call("GET", "/v1/jobs/abc").status == 404u);
    BOOST_TEST(c.call("PUT", "/v1/jobs/1").status == 405u);
    BOOST_TEST(c.call("PUT", "/v1/jobs").status == 405u);
    std::string id = start(c, R"({"scope": "collection", "libraryID": 1, "collectionKey": "NONE"})");
    BOOST_TEST(c.wait(id).at("total") == 0);
    for (const char* q : {"?cursor=-1", "?cursor=x", "?limit=0", "?limit=1001", "?cursor=1&limit="})
        BOOST_TEST(c.call("GET", "/v1/jobs/" + id + "/plan" + q).status == 400u, q);
}

BOOST_AUTO_TEST_CASE(undo_lists_sieve_tags_and_unedited_notes_only) {
    library_copy lib;
    server_process server(lib.dir.path / "state", {"--db", lib.db.string()});
    client c{server};
    json::object item{{"libraryID", 1}, {"key", "ABCD2345"}, {"title", "Pruning transformers"},
                      {"abstract", "We prune attention heads."}};
    item["tags"] = json::array{json::object{{"tag", "sieve/relevant"}, {"type", 0}},
                               json::object{{"tag", "to-read"}, {"type", 1}}};
    auto classified = c.ok("POST", "/v1/classify",
                           json::serialize(json::object{{"items", json::array{item}}}));
    const auto& plan = classified.at("results").at(0).at("plan");
    json::array tags = item["tags"].as_array();
    for (const auto& t : plan.at("add_tags").as_array())
        tags.push_back(t);
    json::object undo_item{{"libraryID", 1}, {"key", "ABCD2345"}, {"tags", tags}};
    undo_item["notes"] =
        json::array{json::object{{"key", "NOTE2345"}, {"html", plan.at("note").at("html")}}};
    auto undone = c.ok("POST", "/v1/undo",
                       json::serialize(json::object{{"items", json::array{undo_item}}}));
    expect_valid(json_schema_validator::from_file(schema_path("undo.response.schema.json")),
                 undone);
    const auto& u = undone.at("results").at(0).at("plan");
    BOOST_TEST(u.at("add_tags").as_array().empty());
    BOOST_TEST(u.at("remove_tags") == plan.at("add_tags")); // not the manual one, not to-read
    BOOST_TEST(u.at("note") == (json::object{{"action", "delete"}, {"key", "NOTE2345"}}));
    BOOST_TEST(c.call("POST", "/v1/undo", R"({"items": [{"tags": 1}]})").status == 400u);
}
