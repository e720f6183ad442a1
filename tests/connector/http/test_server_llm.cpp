// `sieve serve --llm-*` end to end: the real server, a local stand-in LLM server, POST
// /v1/classify answering within --llm-wait and upgrading later, /v1/health, the API key.
#define BOOST_TEST_MODULE server_llm
#include "tests/support/fake_llm_server.hpp"
#include "tests/support/json_schema_validator.hpp"
#include "tests/support/server_process.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace sieve::test;
namespace json = boost::json;
using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

namespace {

const char* const secret = "sk-test-5ecret-never-shown";

json::object classify_item(server_process& s, const json::object& item) {
    static const auto schema =
        json_schema_validator::from_file(schema_path("classify.response.schema.json"));
    auto r = http_call(s.port, s.token, "POST", "/v1/classify",
                       json::serialize(json::object{{"items", json::array{item}}}));
    BOOST_REQUIRE_MESSAGE(r.status == 200u, r.body);
    auto errors = schema.validate(r.json());
    BOOST_TEST(errors.empty(), (errors.empty() ? "" : errors.front()));
    return r.json().at("results").at(0).as_object();
}

json::object classify(server_process& s, const std::string& title) {
    return classify_item(
        s, json::object{{"id", "x1"},
                        {"title", title},
                        {"abstract", "We route tokens to sparse experts and prune the router."}});
}

} // namespace

BOOST_AUTO_TEST_CASE(llm_mode_judges_through_classify_and_reports_health) {
    fake_llm_server llm([](const fake_llm_request& r, int) {
        return fake_llm_reply{
            200, chat_response(answer_papers(r, "relevant", "ML Systems")), {}, {}};
    });
    temp_dir dir;
    ::setenv("SIEVE_TEST_LLM_KEY", secret, 1);
    server_process s(dir.path / "state",
                     {"--db", (dir.path / "none" / "zotero.sqlite").string(), "--llm-mode", "llm",
                      "--llm-url", llm.url(), "--llm-model", "fake-model", "--llm-key-env",
                      "SIEVE_TEST_LLM_KEY", "--llm-wait", "10"});
    auto r = classify(s, "Sparse experts at scale");
    const auto& j = r.at("judgment").as_object();
    BOOST_TEST(j.at("judge") == "fake-model (LLM)");
    BOOST_TEST(j.at("verdict") == "relevant");
    BOOST_TEST(j.at("topics") == json::array{"ML Systems"});
    BOOST_TEST(r.at("llm_pending") == false);
    BOOST_TEST(r.at("plan").at("add_tags").as_array().size() == 2u);
    BOOST_TEST(llm.requests().at(0).authorization == std::string("Bearer ") + secret);

    auto again = classify(s, "Sparse experts at scale"); // cached: not asked twice
    BOOST_TEST(again.at("judgment").at("judge") == "fake-model (LLM)");
    BOOST_TEST(llm.calls() == 1);

    // An item with identity: its local judgment is cached too; the LLM's still comes back.
    json::object owned{{"libraryID", 1},
                       {"key", "ABCD2345"},
                       {"title", "Routing tokens to experts"},
                       {"abstract", "Experts are chosen per token by a learned router."}};
    for (int round = 0; round < 2; ++round) {
        auto o = classify_item(s, owned);
        BOOST_TEST(o.at("cached") == (round == 1));
        BOOST_TEST(o.at("judgment").at("judge") == "fake-model (LLM)");
        BOOST_TEST(o.at("llm_pending") == false);
    }
    BOOST_TEST(llm.calls() == 2);

    static const auto health_schema =
        json_schema_validator::from_file(schema_path("health.response.schema.json"));
    auto h = http_call(s.port, s.token, "GET", "/v1/health");
    BOOST_TEST(health_schema.validate(h.json()).empty());
    auto health = h.json();
    const auto& l = health.at("llm").as_object();
    BOOST_TEST(l.at("mode") == "llm");
    BOOST_TEST(l.at("model") == "fake-model");
    BOOST_TEST(l.at("tokens_today").at("prompt") == 2000);
    BOOST_TEST(l.at("llm_judgments") == 2);
    BOOST_TEST(h.body.find(secret) == std::string::npos);
    s.stop(SIGTERM);
    BOOST_TEST(s.output.find(secret) == std::string::npos);
    BOOST_TEST(s.output.find("API key set") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(slow_llm_answers_local_first_and_upgrades_later) {
    fake_llm_server llm([](const fake_llm_request& r, int) {
        return fake_llm_reply{
            200, chat_response(answer_papers(r, "application", "")), {}, milliseconds(2000)};
    });
    temp_dir dir;
    server_process s(dir.path / "state",
                     {"--db", (dir.path / "none" / "zotero.sqlite").string(), "--llm-mode", "llm",
                      "--llm-url", llm.url(), "--llm-model", "slow-model", "--llm-wait", "0.3"});
    auto t0 = steady::now();
    auto first = classify(s, "Quantized transformers for speech");
    BOOST_TEST((steady::now() - t0 < milliseconds(1500)));
    BOOST_TEST(first.at("llm_pending") == true);
    BOOST_TEST(first.at("judgment").at("judge").as_string().starts_with("sieve-local"));
    std::this_thread::sleep_for(milliseconds(2500));
    auto later = classify(s, "Quantized transformers for speech");
    BOOST_TEST(later.at("llm_pending") == false);
    BOOST_TEST(later.at("judgment").at("judge") == "slow-model (LLM)");
    BOOST_TEST(later.at("judgment").at("verdict") == "application");
    BOOST_TEST(llm.calls() == 1);
}

BOOST_AUTO_TEST_CASE(unreachable_llm_keeps_local_judgments_and_bad_flags_are_refused) {
    temp_dir dir;
    server_process s(dir.path / "state",
                     {"--db", (dir.path / "none" / "zotero.sqlite").string(), "--llm-mode",
                      "hybrid", "--llm-threshold", "1", "--llm-url", "http://127.0.0.1:1/v1",
                      "--llm-model", "gone", "--llm-wait", "5"});
    auto r = classify(s, "Sparse experts");
    std::string judge(r.at("judgment").at("judge").as_string());
    BOOST_TEST(judge.find("LLM fallback: LLM unavailable") != std::string::npos, judge);
    auto h = http_call(s.port, s.token, "GET", "/v1/health").json();
    BOOST_TEST(h.at("llm").at("failed_requests").as_int64() >= 1);

    std::string out;
    std::string bin = env_or_fail("SIEVE_BIN");
    BOOST_TEST(run_command(bin + " serve --port 0 --state-dir " + (dir.path / "s2").string() +
                               " --llm-mode llm",
                           out) == 2);
    BOOST_TEST(out.find("needs --llm-model") != std::string::npos, out);
    out.clear();
    BOOST_TEST(run_command(bin + " serve --port 0 --state-dir " + (dir.path / "s3").string() +
                               " --llm-model m --llm-url http://u:p@host/v1",
                           out) == 2);
    BOOST_TEST(out.find("u:p") == std::string::npos, out);
}

BOOST_AUTO_TEST_CASE(new_criteria_reach_the_llm_and_its_vocabulary) {
    fake_llm_server llm([](const fake_llm_request& r, int) {
        return fake_llm_reply{
            200, chat_response(answer_papers(r, "relevant", "Graph Learning")), {}, {}};
    });
    temp_dir dir;
    std::filesystem::create_directories(dir.path / "state");
    std::ofstream(dir.path / "state" / "llm-key") << "key-from-file\n";
    server_process s(dir.path / "state",
                     {"--db", (dir.path / "none" / "zotero.sqlite").string(), "--llm-mode", "llm",
                      "--llm-url", llm.url(), "--llm-model", "fake-model", "--llm-wait", "10"});
    // Under the seed criteria "Graph Learning" is no topic: the LLM cannot add it.
    auto before = classify(s, "Message passing on graphs");
    BOOST_TEST(before.at("judgment").at("topics").as_array().empty());
    std::string text = "1. Graph Learning\n   - Relevant: graph neural networks, message passing\n";
    auto put = http_call(s.port, s.token, "PUT", "/v1/criteria",
                         json::serialize(json::object{{"text", text}}));
    BOOST_REQUIRE_MESSAGE(put.status == 200u, put.body);
    auto after = classify(s, "Message passing on graphs"); // new criteria version: asked again
    BOOST_TEST(after.at("judgment").at("judge") == "fake-model (LLM)");
    BOOST_TEST(after.at("judgment").at("topics") == json::array{"Graph Learning"});
    BOOST_REQUIRE(llm.calls() == 2);
    std::string prompt(llm.requests().at(1).body.at("messages").at(1).at("content").as_string());
    BOOST_TEST(prompt.find("1| 1. Graph Learning") != std::string::npos);
    BOOST_TEST(llm.requests().at(0).authorization == "Bearer key-from-file"); // <state-dir>/llm-key
}

// A bulk job with the LLM judge: the first job plans with local judgments and queues every item
// for the LLM without waiting; once it has answered, a second job plans with its judgments.
BOOST_AUTO_TEST_CASE(a_bulk_job_queues_for_the_llm_and_a_later_job_uses_its_judgments) {
    fake_llm_server llm([](const fake_llm_request& r, int) {
        return fake_llm_reply{
            200, chat_response(answer_papers(r, "relevant", "ML Systems")), {}, milliseconds(300)};
    });
    temp_dir dir;
    ::setenv("XDG_CACHE_HOME", (dir.path / "cache").c_str(), 1);
    std::filesystem::path db = dir.path / "zotero" / "zotero.sqlite";
    std::filesystem::create_directories(db.parent_path());
    std::filesystem::copy_file(
        env_or_fail("SIEVE_SHARED") + "/zotero-libraries/zotero6-schema121-distsys.sqlite", db);
    server_process s(dir.path / "state", {"--db", db.string(), "--llm-mode", "llm", "--llm-url",
                                          llm.url(), "--llm-model", "bulk-model"});
    auto run_job = [&] {
        auto started = http_call(s.port, s.token, "POST", "/v1/jobs", R"({"scope": "library"})");
        BOOST_REQUIRE_MESSAGE(started.status == 202u, started.body);
        std::string id(started.json().at("id").as_string());
        for (int i = 0; i < 400; ++i) {
            auto st = http_call(s.port, s.token, "GET", "/v1/jobs/" + id).json();
            if (st.at("state") != "running")
                return std::pair{id, st.as_object()};
            std::this_thread::sleep_for(milliseconds(25));
        }
        BOOST_FAIL("job did not finish");
        return std::pair{id, json::object{}};
    };
    auto [first_id, first] = run_job();
    BOOST_TEST(first.at("state") == "done");
    BOOST_TEST(first.at("llm_queued") == first.at("total"));
    BOOST_TEST(first.at("llm_judged") == 0);
    for (int i = 0; i < 200; ++i) { // until the LLM judge has nothing queued or in flight
        auto h = http_call(s.port, s.token, "GET", "/v1/health").json().at("llm");
        if (h.at("queued") == 0 && h.at("in_flight") == 0 && llm.calls() > 0)
            break;
        std::this_thread::sleep_for(milliseconds(50));
    }
    auto [second_id, second] = run_job();
    BOOST_TEST(second.at("llm_judged") == second.at("total"));
    BOOST_TEST(second.at("counts").at("relevant") == second.at("total"));
    auto page =
        http_call(s.port, s.token, "GET", "/v1/jobs/" + second_id + "/plan?limit=1000").json();
    for (const auto& e : page.at("entries").as_array()) {
        BOOST_TEST(e.at("verdict") == "relevant");
        std::string html(e.at("plan").at("note").at("html").as_string());
        BOOST_TEST(html.find("bulk-model") != std::string::npos, html);
    }
}
