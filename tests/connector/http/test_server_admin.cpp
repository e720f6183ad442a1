// `sieve serve` end to end: POST /v1/feedback, GET / PUT /v1/criteria (hot reload, persisted),
// the judgment cache and the note records of the state store. Runs the real binary.
#define BOOST_TEST_MODULE server_admin
#include "tests/support/json_schema_validator.hpp"
#include "tests/support/server_process.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <fstream>
#include <sstream>

using namespace sieve::test;
namespace json = boost::json;

namespace {

struct server_fixture {
    server_fixture() : server(dir.path / "state", args()) {}
    std::vector<std::string> args() const { return {"--db", (dir.path / "none.sqlite").string()}; }
    http_reply call(const std::string& method, const std::string& target,
                    const std::string& body = {}) {
        return http_call(server.port, server.token, method, target, body);
    }
    json::value ok(const http_reply& r, const std::string& schema) {
        BOOST_REQUIRE_MESSAGE(r.status == 200u, r.body);
        auto errors = json_schema_validator::from_file(schema_path(schema)).validate(r.json());
        BOOST_TEST(errors.empty(), (errors.empty() ? "" : errors.front()));
        return r.json();
    }
    void bad(const http_reply& r, const std::string& code) {
        BOOST_TEST(r.status == 400u, r.body);
        auto errors =
            json_schema_validator::from_file(schema_path("error.schema.json")).validate(r.json());
        BOOST_TEST(errors.empty());
        BOOST_TEST(std::string(r.json().at("error").at("code").as_string()) == code, r.body);
    }
    temp_dir dir;
    server_process server;
};

std::string seed_text() {
    std::ifstream in(env_or_fail("SIEVE_SOURCE") + "/data/criteria/seed-criteria.md");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string put_body(const std::string& text) {
    return json::serialize(json::object{{"text", text}});
}

json::object item_with_identity() {
    return json::object{{"libraryID", 1},
                        {"key", "ITEM0001"},
                        {"title", "Quantization of transformer language models"},
                        {"abstract", "We study pruning and low-rank compression."}};
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(admin, server_fixture)

BOOST_AUTO_TEST_CASE(feedback_is_stored_and_bad_feedback_is_refused) {
    auto r = ok(call("POST", "/v1/feedback",
                     R"({"libraryID": 1, "key": "ITEM0001", "verdict": "relevant",
                         "topics": ["Model Architecture"], "comment": "core MoE paper"})"),
                "feedback.response.schema.json");
    BOOST_TEST(r.at("feedback_count") == 1);
    ok(call("POST", "/v1/feedback", R"({"id": "2401.01234", "verdict": "irrelevant"})"),
       "feedback.response.schema.json");
    bad(call("POST", "/v1/feedback", R"({"verdict": "relevant"})"), "invalid_request");
    bad(call("POST", "/v1/feedback", R"({"id": "x", "verdict": "maybe"})"), "invalid_request");
    bad(call("POST", "/v1/feedback", R"({"id": "x", "verdict": "relevant", "mood": 1})"),
        "invalid_request");
    bad(call("POST", "/v1/feedback", R"({"libraryID": 1, "verdict": "relevant"})"),
        "invalid_request");
    bad(call("POST", "/v1/feedback", "{"), "malformed_json");
    auto again = ok(call("POST", "/v1/feedback", R"({"id": "y", "verdict": "application"})"),
                    "feedback.response.schema.json");
    BOOST_TEST(again.at("feedback_count") == 3); // the refused ones changed nothing
}

BOOST_AUTO_TEST_CASE(feedback_validation_agrees_with_its_schema) {
    auto schema = json_schema_validator::from_file(schema_path("feedback.request.schema.json"));
    const char* bodies[] = {
        R"({"id": "a", "verdict": "relevant"})",
        R"({"libraryID": 2, "key": "K", "verdict": "irrelevant", "title": "t", "abstract": "a"})",
        R"({"libraryID": 2, "key": "K", "id": "a", "verdict": "relevant", "topics": []})",
        R"({"key": "K", "verdict": "relevant"})",
        R"({"libraryID": 2, "key": "K", "verdict": "relevant", "topics": [""]})",
        R"({"libraryID": 0, "key": "K", "verdict": "relevant"})",
        R"({"id": 5, "verdict": "relevant"})",
        R"({"id": "a", "verdict": "relevant", "comment": null})",
        R"({"id": "a"})",
        R"([])",
    };
    for (const char* body : bodies) {
        bool valid = schema.validate(json::parse(body)).empty();
        auto r = call("POST", "/v1/feedback", body);
        BOOST_TEST((r.status == 200u) == valid, body << " -> " << r.status);
    }
}

BOOST_AUTO_TEST_CASE(criteria_can_be_read_replaced_and_survive_a_restart) {
    auto before = ok(call("GET", "/v1/criteria"), "criteria.response.schema.json");
    BOOST_TEST(before.at("source") == "embedded");
    BOOST_TEST(before.at("text") == json::value(seed_text()));
    bad(call("PUT", "/v1/criteria", put_body("no topics here\n")), "invalid_criteria");
    bad(call("PUT", "/v1/criteria", R"({"text": "x", "extra": 1})"), "invalid_request");
    auto unchanged = ok(call("GET", "/v1/criteria"), "criteria.response.schema.json");
    BOOST_TEST(unchanged.at("version") == before.at("version"));

    std::string text = seed_text();
    auto at = text.find("Model Architecture");
    BOOST_REQUIRE(at != std::string::npos);
    text.replace(at, 18, "Model Architectures");
    auto put = ok(call("PUT", "/v1/criteria", put_body(text)), "criteria.put.response.schema.json");
    BOOST_TEST(put.at("previous_version") == before.at("version"));
    BOOST_TEST(put.at("version") != before.at("version"));
    BOOST_TEST(put.at("topics").at(0) == "Model Architectures");
    auto health = call("GET", "/v1/health").json();
    BOOST_TEST(health.at("criteria_version") == put.at("version"));
    auto classified =
        call("POST", "/v1/classify", R"({"items": [{"title": "t", "abstract": "a"}]})");
    BOOST_TEST(classified.json().at("criteria_version") == put.at("version"));

    BOOST_TEST(server.stop(SIGTERM) == 0);
    server_process restarted(dir.path / "state", args());
    auto after = http_call(restarted.port, restarted.token, "GET", "/v1/criteria").json();
    BOOST_TEST(after.at("version") == put.at("version"));
    BOOST_TEST(after.at("source") == "state");
}

BOOST_AUTO_TEST_CASE(judgments_of_unchanged_items_come_from_the_cache) {
    json::object item = item_with_identity();
    auto body = [&] { return json::serialize(json::object{{"items", json::array{item}}}); };
    auto first = ok(call("POST", "/v1/classify", body()), "classify.response.schema.json");
    BOOST_TEST(first.at("results").at(0).at("cached") == false);
    auto second = ok(call("POST", "/v1/classify", body()), "classify.response.schema.json");
    BOOST_TEST(second.at("results").at(0).at("cached") == true);
    BOOST_TEST(second.at("results").at(0).at("judgment") ==
               first.at("results").at(0).at("judgment"));
    item["abstract"] = "A different abstract about sparse attention.";
    auto third = ok(call("POST", "/v1/classify", body()), "classify.response.schema.json");
    BOOST_TEST(third.at("results").at(0).at("cached") == false);
    bad(call("POST", "/v1/classify",
             R"({"items": [{"libraryID": 1, "title": "t", "abstract": "a"}]})"),
        "invalid_request");
}

BOOST_AUTO_TEST_CASE(a_sieve_note_stays_recognised_after_the_editor_rewrites_it) {
    json::object item = item_with_identity();
    auto classify = [&] {
        auto r = ok(call("POST", "/v1/classify",
                         json::serialize(json::object{{"items", json::array{item}}})),
                    "classify.response.schema.json");
        return r.at("results").at(0).at("plan").at("note").as_object();
    };
    auto created = classify();
    BOOST_REQUIRE(created.at("action") == "create");
    item["notes"] = json::array{json::object{{"key", "NOTE0001"}, {"html", created.at("html")}}};
    BOOST_TEST(classify().at("action") == "keep"); // seen intact: recorded in the state store
    // Zotero's note editor rewrites the markup and drops Sieve's data attributes.
    item["notes"] = json::array{json::object{
        {"key", "NOTE0001"}, {"html", "<div data-schema-version=\"9\"><p>My summary</p></div>"}}};
    auto after = classify();
    BOOST_TEST(after.at("action") == "user_edited"); // not a second, new note
    BOOST_TEST(after.at("key") == "NOTE0001");
}

BOOST_AUTO_TEST_SUITE_END()
