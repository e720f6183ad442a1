// `sieve serve` end to end, POST /v1/classify: inline and by-key items, request validation
// (kept in step with schema/api), plans that are idempotent and never touch user edits.
#define BOOST_TEST_MODULE server_classify
#include "tests/support/json_schema_validator.hpp"
#include "tests/support/server_process.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>

using namespace sieve::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const char* const regular_items_sql =
    "SELECT i.key FROM items i JOIN itemTypes t USING (itemTypeID) WHERE t.typeName NOT IN "
    "('note','attachment','annotation') AND i.itemID NOT IN (SELECT itemID FROM deletedItems) "
    "AND i.libraryID = ? ORDER BY i.key LIMIT 1";

// A copy of a real Zotero 7 library plus a read-only group library (ID 7) holding one item.
struct library_fixture {
    library_fixture() {
        ::setenv("XDG_CACHE_HOME", (dir.path / "cache").c_str(), 1);
        db = dir.path / "zotero" / "zotero.sqlite";
        fs::create_directories(db.parent_path());
        fs::copy_file(
            env_or_fail("SIEVE_SHARED") + "/zotero-libraries/zotero7-schema123-imaging.sqlite", db);
        SQLite::Database d(db.string(), SQLite::OPEN_READWRITE);
        d.exec("INSERT INTO libraries (libraryID, type, editable, filesEditable) "
               "VALUES (7, 'group', 0, 0)");
        user_key = first_key(d, 1);
        SQLite::Statement move(d, "UPDATE items SET libraryID = 7 WHERE key = ? AND libraryID = 1");
        move.bind(1, user_key);
        move.exec();
        group_key = user_key;
        user_key = first_key(d, 1);
    }
    static std::string first_key(SQLite::Database& d, int library) {
        SQLite::Statement q(d, regular_items_sql);
        q.bind(1, library);
        BOOST_REQUIRE(q.executeStep());
        return q.getColumn(0).getString();
    }
    temp_dir dir;
    fs::path db;
    std::string user_key, group_key;
};

struct server_fixture : library_fixture {
    server_fixture() : server(dir.path / "state", {"--db", db.string()}) {}
    http_reply classify(const json::value& body) {
        return http_call(server.port, server.token, "POST", "/v1/classify", json::serialize(body));
    }
    json::object classify_ok(const json::value& body) {
        static const auto schema =
            json_schema_validator::from_file(schema_path("classify.response.schema.json"));
        auto r = classify(body);
        BOOST_REQUIRE_MESSAGE(r.status == 200u, r.body);
        auto errors = schema.validate(r.json());
        BOOST_TEST(errors.empty(), (errors.empty() ? "" : errors.front()));
        return r.json().as_object();
    }
    server_process server;
};

const auto request_schema_path = [] { return schema_path("classify.request.schema.json"); };

json::object paper(std::string title, std::string abstract) {
    return json::object{{"id", "p1"}, {"title", title}, {"abstract", abstract}};
}

// Applies a plan to an inline item as the extension does: remove by name, add, note action.
void apply(const json::object& plan, json::object& item) {
    json::array& tags =
        item["tags"].is_array() ? item["tags"].as_array() : item["tags"].emplace_array();
    for (const auto& r : plan.at("remove_tags").as_array())
        for (std::size_t i = tags.size(); i-- > 0;)
            if (tags[i].at("tag") == r.at("tag"))
                tags.erase(tags.begin() + std::ptrdiff_t(i));
    for (const auto& a : plan.at("add_tags").as_array())
        tags.push_back(a);
    const auto& note = plan.at("note").as_object();
    json::array& notes =
        item["notes"].is_array() ? item["notes"].as_array() : item["notes"].emplace_array();
    if (note.at("action") == "create")
        notes.push_back(json::object{{"key", "NOTE0001"}, {"html", note.at("html")}});
    if (note.at("action") == "replace")
        for (auto& n : notes)
            if (n.at("key") == note.at("key"))
                n.as_object()["html"] = note.at("html");
}

bool plan_is_empty(const json::object& plan) {
    auto action = plan.at("note").at("action");
    return plan.at("add_tags").as_array().empty() && plan.at("remove_tags").as_array().empty() &&
           (action == "keep" || action == "user_edited");
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(classify, server_fixture)

BOOST_AUTO_TEST_CASE(inline_item_gets_judgment_and_plan) {
    auto out = classify_ok(json::object{
        {"items",
         json::array{paper("Sparse Mixture-of-Experts layers with quantization",
                           "We study pruning and low-rank adaptation of transformers.")}}});
    const auto& r = out.at("results").at(0).as_object();
    BOOST_TEST(r.at("id") == "p1");
    BOOST_TEST(r.at("index") == 0);
    const auto& plan = r.at("plan").as_object();
    BOOST_TEST(!plan.at("add_tags").as_array().empty());
    BOOST_TEST(plan.at("note").at("action") == "create");
    std::string verdict(r.at("judgment").at("verdict").as_string());
    BOOST_TEST(plan.at("add_tags").at(0).at("tag") == json::value("sieve/" + verdict));
    BOOST_TEST(out.at("criteria_version").is_string());
}

BOOST_AUTO_TEST_CASE(real_papers_in_a_batch_quote_their_own_text) {
    std::ifstream in(env_or_fail("SIEVE_SHARED") + "/corpus/validation.jsonl");
    json::array items;
    std::string line;
    while (items.size() < 200 && std::getline(in, line)) {
        auto v = json::parse(line).as_object();
        const json::value* abstract = v.if_contains("abstract");
        json::value text = abstract && abstract->is_string() ? *abstract : json::value("");
        items.push_back(json::object{
            {"id", v.at("id")}, {"title", v.at("title")}, {"abstract", std::move(text)}});
    }
    auto out = classify_ok(json::object{{"items", items}});
    const auto& results = out.at("results").as_array();
    BOOST_REQUIRE(results.size() == items.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& j = results[i].at("judgment").as_object();
        for (const auto& e : j.at("evidence").as_array()) {
            std::string field(e.at("field").as_string());
            if (field != "title" && field != "abstract")
                continue;
            std::string text(items[i].at(field).as_string());
            auto b = e.at("begin").to_number<std::size_t>(),
                 end = e.at("end").to_number<std::size_t>();
            BOOST_TEST_REQUIRE(end <= text.size());
            BOOST_TEST(text.substr(b, end - b) == std::string(e.at("quote").as_string()));
        }
    }
}

BOOST_AUTO_TEST_CASE(bad_input_is_400_with_a_json_error) {
    auto error_schema = json_schema_validator::from_file(schema_path("error.schema.json"));
    auto check = [&](const std::string& body, const std::string& code) {
        auto r = http_call(server.port, server.token, "POST", "/v1/classify", body);
        BOOST_TEST(r.status == 400u, body);
        BOOST_TEST(error_schema.validate(r.json()).empty());
        BOOST_TEST(std::string(r.json().at("error").at("code").as_string()) == code, body);
    };
    check("", "malformed_json");
    check("{\"items\": [", "malformed_json");
    check("{\"items\": []} trailing", "malformed_json");
    check("{\"items\": {}}", "invalid_request");
    check("[]", "invalid_request");
    check("{\"items\": [{\"title\": 5, \"abstract\": \"\"}]}", "invalid_request");
    check("{\"items\": [{\"title\": \"t\"}]}", "invalid_request");
    check("{\"items\": [], \"dryRun\": true}", "invalid_request");
    check("{\"items\": [{\"title\": \"t\", \"abstract\": \"a\", \"doi\": \"x\"}]}",
          "invalid_request");
    check("{\"items\": [{\"title\": \"t\", \"abstract\": \"a\", \"tags\": [{\"tag\": \"x\", "
          "\"type\": 2}]}]}",
          "invalid_request");
    check("{\"items\": [{\"libraryID\": 0, \"key\": \"ABCD2345\"}]}", "invalid_request");
    json::array many;
    for (int i = 0; i < 1001; ++i)
        many.push_back(paper("t", "a"));
    check(json::serialize(json::object{{"items", many}}), "invalid_request");
    auto r = http_call(server.port, server.token, "POST", "/v1/classify",
                       "{\"items\": [{\"title\": 5, \"abstract\": \"\"}]}");
    BOOST_TEST(std::string(r.json().at("error").at("message").as_string()).find("items[0].title") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(server_validation_agrees_with_the_request_schema) {
    auto schema = json_schema_validator::from_file(request_schema_path());
    const char* bodies[] = {
        R"({"items": []})",
        R"({"items": [{"title": "", "abstract": ""}]})",
        R"({"items": [{"id": "x", "title": "t", "abstract": "a", "itemType": "preprint", "venue": "v",
            "tags": [{"tag": "a", "type": 0}, {"tag": "b", "type": 1}], "notes": [{"key": "K", "html": ""}]}]})",
        R"({"items": [{"libraryID": 1, "key": "ABCD2345"}]})",
        R"({"items": [{"libraryID": 1, "key": "ABCD2345", "title": "t"}]})",
        R"({"items": [{"libraryID": 1}]})",
        R"({"items": [{"libraryID": "1", "key": "K"}]})",
        R"({"items": [{"libraryID": 1, "key": ""}]})",
        R"({"items": [{"title": "t", "abstract": null}]})",
        R"({"items": [{"title": "t", "abstract": "a", "id": 3}]})",
        R"({"items": [{"title": "t", "abstract": "a", "tags": [{"tag": "", "type": 0}]}]})",
        R"({"items": [{"title": "t", "abstract": "a", "tags": [{"tag": "x"}]}]})",
        R"({"items": [{"title": "t", "abstract": "a", "tags": [{"tag": "x", "type": 1.5}]}]})",
        R"({"items": [{"title": "t", "abstract": "a", "notes": [{"key": "K"}]}]})",
        R"({"items": [{"title": "t", "abstract": "a", "notes": {}}]})",
        R"({"items": [7]})",
        R"({})",
    };
    for (const char* body : bodies) {
        bool valid = schema.validate(json::parse(body)).empty();
        auto r = http_call(server.port, server.token, "POST", "/v1/classify", body);
        BOOST_TEST((r.status == 200u) == valid, body << " -> " << r.status);
        BOOST_TEST((r.status == 200u || r.status == 400u));
    }
}

BOOST_AUTO_TEST_CASE(applying_the_plan_then_planning_again_gives_an_empty_plan) {
    json::object item = paper("Sparse Mixture-of-Experts layers with quantization",
                              "We study pruning and low-rank adaptation of transformers.");
    item["tags"] = json::array{json::object{{"tag", "to-read"}, {"type", 0}},
                               json::object{{"tag", "sieve/topic/Gone"}, {"type", 1}},
                               json::object{{"tag", "sieve/relevant"}, {"type", 0}}};
    item["notes"] = json::array{json::object{{"key", "USERNOTE"}, {"html", "<p>mine</p>"}}};
    auto first = classify_ok(json::object{{"items", json::array{item}}});
    apply(first.at("results").at(0).at("plan").as_object(), item);
    auto second = classify_ok(json::object{{"items", json::array{item}}});
    const auto& plan = second.at("results").at(0).at("plan").as_object();
    BOOST_TEST(plan_is_empty(plan), json::serialize(plan));
    BOOST_TEST(plan.at("note").at("key") == "NOTE0001");
    BOOST_TEST(item.at("tags").at(0) == (json::object{{"tag", "to-read"}, {"type", 0}}));
    BOOST_TEST(item.at("notes").at(0).at("html") == "<p>mine</p>");
    bool manual_kept = false; // the user's own prefixed tag is never retyped or removed
    for (const auto& t : item.at("tags").as_array())
        manual_kept = manual_kept || t == json::object{{"tag", "sieve/relevant"}, {"type", 0}};
    BOOST_TEST(manual_kept);
}

BOOST_AUTO_TEST_CASE(a_note_the_user_edited_is_never_replaced) {
    json::object item =
        paper("Quantization of large language models", "A pruning method for transformers.");
    auto first = classify_ok(json::object{{"items", json::array{item}}});
    apply(first.at("results").at(0).at("plan").as_object(), item);
    auto& note = item["notes"].as_array()[0].as_object();
    std::string html(note["html"].as_string());
    note["html"] = html.substr(0, html.size() - 6) + "<p>I disagree.</p></div>";
    item["title"] = "A survey of medical image segmentation"; // the judgment changes
    item["abstract"] = "We apply a U-Net to hospital data.";
    auto second = classify_ok(json::object{{"items", json::array{item}}});
    const auto& n = second.at("results").at(0).at("plan").at("note").as_object();
    BOOST_TEST(n.at("action") == "user_edited");
    BOOST_TEST(n.at("key") == "NOTE0001");
    BOOST_TEST(!n.contains("html"));
}

BOOST_AUTO_TEST_CASE(items_by_key_from_the_library) {
    auto out = classify_ok(
        json::object{{"items", json::array{json::object{{"libraryID", 1}, {"key", user_key}},
                                           json::object{{"libraryID", 7}, {"key", group_key}},
                                           json::object{{"libraryID", 1}, {"key", "NOSUCHKY"}}}}});
    const auto& rs = out.at("results").as_array();
    BOOST_TEST(rs.at(0).at("key") == json::value(user_key));
    BOOST_TEST(rs.at(0).at("plan").is_object());
    BOOST_TEST(rs.at(0).at("judgment").at("id") == json::value("1/" + user_key));
    BOOST_TEST(rs.at(1).at("plan").is_null()); // read-only group library: judgment only
    BOOST_TEST(rs.at(1).at("judgment").is_object());
    BOOST_TEST(rs.at(2).at("error").at("code") == "not_found");
    auto health = http_call(server.port, server.token, "GET", "/v1/health").json();
    BOOST_TEST(health.at("item_count").to_number<int>() > 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(by_key_without_a_library_is_a_per_item_error) {
    temp_dir dir;
    server_process server(dir.path / "state", {"--db", (dir.path / "none.sqlite").string()});
    auto r = http_call(server.port, server.token, "POST", "/v1/classify",
                       R"({"items": [{"libraryID": 1, "key": "ABCD2345"},
                                     {"title": "t", "abstract": "a"}]})");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.json().at("results").at(0).at("error").at("code") == "no_library");
    BOOST_TEST(r.json().at("results").at(1).at("judgment").is_object());
}
