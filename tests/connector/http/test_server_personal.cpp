// `sieve serve` end to end: the personal layer learned from POST /v1/feedback (GET / DELETE
// /v1/personal, DELETE /v1/feedback/<id>), judged through POST /v1/classify; a simulated user
// (the issue's `rl-too`: judges' irrelevant papers whose reasons both name reinforcement
// learning are relevant to them) on a small scale; restart, kill -9 while training, a damaged
// stored layer and one of an older format. Runs the real binary on $SIEVE_SHARED's corpus.
#define BOOST_TEST_MODULE server_personal
#include "tests/support/json_schema_validator.hpp"
#include "tests/support/server_process.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

using namespace sieve::test;
namespace json = boost::json;

namespace {

struct corpus_paper {
    std::string title, abstract, gold, wants;
};

bool mentions_rl(const std::string& s) {
    static const std::regex words("reinforcement learning", std::regex::icase);
    static const std::regex upper("\\bRL\\b");
    return std::regex_search(s, words) || std::regex_search(s, upper);
}

// judged-2.jsonl's agreed papers with the rl-too user's verdict: every shifted one, and the
// first `unshifted` others.
std::vector<corpus_paper> rl_too_papers(std::size_t unshifted) {
    std::ifstream in(env_or_fail("SIEVE_SHARED") + "/corpus/judged-2.jsonl");
    std::vector<corpus_paper> out;
    std::string line;
    std::size_t others = 0;
    while (std::getline(in, line)) {
        auto o = json::parse(line).as_object();
        std::string gold(o.at("verdict").as_string());
        if (gold == "ambiguous") continue;
        corpus_paper p{std::string(o.at("title").as_string()),
                       std::string(o.at("abstract").as_string()), gold, gold};
        bool both = gold == "irrelevant" && o.at("reasons").as_array().size() == 2;
        for (const auto& r : o.at("reasons").as_array())
            both = both && mentions_rl(std::string(r.as_string()));
        if (both) p.wants = "relevant";
        else if (others++ >= unshifted) continue;
        out.push_back(std::move(p));
    }
    return out;
}

json::object inline_item(const corpus_paper& p) {
    return {{"title", p.title}, {"abstract", p.abstract}};
}

struct fixture {
    fixture() : server(std::make_unique<server_process>(dir.path / "state", args())) {}
    std::vector<std::string> args() const { return {"--db", (dir.path / "none.sqlite").string()}; }
    http_reply call(const std::string& method, const std::string& target,
                    const std::string& body = {}) {
        return http_call(server->port, server->token, method, target, body);
    }
    json::object ok(const http_reply& r, const std::string& schema) {
        BOOST_REQUIRE_MESSAGE(r.status == 200u, r.body);
        auto errors = json_schema_validator::from_file(schema_path(schema)).validate(r.json());
        BOOST_TEST(errors.empty(), (errors.empty() ? "" : errors.front()));
        return r.json().as_object();
    }
    // GET /v1/personal once the layer has learned `n` corrections and no run is pending.
    json::object settled(std::int64_t n) {
        for (int i = 0; i < 500; ++i) {
            auto p = ok(call("GET", "/v1/personal"), "personal.response.schema.json");
            if (p.at("learned").as_int64() == n && !p.at("training").as_bool()) return p;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        BOOST_FAIL("the personal layer did not settle at " + std::to_string(n));
        return {};
    }
    // Verdicts of the papers, 200 per request.
    std::vector<std::string> verdicts(const std::vector<corpus_paper>& ps) {
        std::vector<std::string> out;
        for (std::size_t b = 0; b < ps.size(); b += 200) {
            json::array items;
            for (std::size_t i = b; i < std::min(ps.size(), b + 200); ++i)
                items.push_back(inline_item(ps[i]));
            auto r = ok(call("POST", "/v1/classify", json::serialize(json::object{{"items", items}})),
                        "classify.response.schema.json");
            for (const auto& x : r.at("results").as_array())
                out.emplace_back(x.at("judgment").at("verdict").as_string());
        }
        return out;
    }
    std::int64_t correct(std::size_t k, const corpus_paper& p) {
        json::object f{{"libraryID", 1}, {"key", "ITEM" + std::to_string(k)},
                       {"verdict", p.wants}, {"title", p.title}, {"abstract", p.abstract}};
        return ok(call("POST", "/v1/feedback", json::serialize(f)), "feedback.response.schema.json")
            .at("feedback_id").as_int64();
    }
    temp_dir dir;
    std::unique_ptr<server_process> server;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(personal, fixture)

BOOST_AUTO_TEST_CASE(a_simulated_user_through_the_api) {
    auto ps = rl_too_papers(400);
    std::vector<std::size_t> order(ps.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = (i * 7919) % ps.size(); // shuffled
    const auto shipped = verdicts(ps);
    auto p0 = settled(0);
    BOOST_TEST(p0.at("corrections") == 0);
    BOOST_TEST(p0.at("agreement").is_null());
    // The user meets papers in order and corrects the first 25 wrong verdicts.
    std::size_t seen = 0, made = 0;
    std::vector<corpus_paper> corrected;
    while (made < 25 && seen < order.size()) {
        const auto& p = ps[order[seen++]];
        if (verdicts({p})[0] == p.wants) continue;
        correct(order[seen - 1], p);
        corrected.push_back(p);
        settled(std::int64_t(++made));
    }
    BOOST_REQUIRE(made == 25u);
    // The corrected papers themselves are judged as the user said.
    const auto again = verdicts(corrected);
    for (std::size_t k = 0; k < corrected.size(); ++k) BOOST_TEST(again[k] == corrected[k].wants);
    std::vector<corpus_paper> unseen;
    std::vector<std::string> before;
    for (std::size_t k = seen; k < order.size(); ++k) {
        unseen.push_back(ps[order[k]]);
        before.push_back(shipped[order[k]]);
    }
    const auto after = verdicts(unseen);
    double hit[2] = {0, 0}, base[2] = {0, 0}, n[2] = {0, 0};
    for (std::size_t k = 0; k < unseen.size(); ++k) {
        const int s = unseen[k].wants != unseen[k].gold;
        n[s] += 1;
        hit[s] += after[k] == unseen[k].wants;
        base[s] += before[k] == unseen[k].wants;
    }
    BOOST_TEST_MESSAGE("shifted " << hit[1] / n[1] << " (shipped " << base[1] / n[1]
                       << "), unshifted " << hit[0] / n[0] << " (shipped " << base[0] / n[0] << ")");
    // Measured (docs/benchmarks.md): shifted 0.747 (shipped 0), unshifted 0.979 (shipped 1: the
    // embedded model was trained on these papers, so every correction here is a shifted one).
    BOOST_TEST(n[1] >= 20);
    BOOST_TEST(hit[1] / n[1] - base[1] / n[1] >= 0.45);
    BOOST_TEST(hit[0] / n[0] >= base[0] / n[0] - 0.03);
    auto st = settled(25);
    BOOST_TEST(std::string(st.at("judge").as_string()).find("+ personal 25 corrections ") !=
               std::string::npos);
    BOOST_TEST(st.at("agreement").is_double());
}

BOOST_AUTO_TEST_CASE(withdraw_one_reset_all_restart_kill_and_damage) {
    auto ps = rl_too_papers(0);
    std::vector<std::int64_t> ids;
    for (std::size_t k = 0; k < 12; ++k) ids.push_back(correct(k, ps[k]));
    auto s12 = settled(12);
    const std::string judge12(s12.at("judge").as_string());
    // Withdrawing one learns again without it; a second withdrawal of it is 404.
    ok(call("DELETE", "/v1/feedback/" + std::to_string(ids[3])), "feedback.delete.response.schema.json");
    BOOST_TEST(call("DELETE", "/v1/feedback/" + std::to_string(ids[3])).status == 404u);
    BOOST_TEST(call("DELETE", "/v1/feedback/x1").status == 400u);
    auto s11 = settled(11);
    BOOST_TEST(s11.at("corrections") == 11);
    const std::string judge11(s11.at("judge").as_string());
    BOOST_TEST(judge11 != judge12);
    // Restart keeps the layer (same name, nothing to learn).
    BOOST_TEST(server->stop(SIGTERM) == 0);
    server = std::make_unique<server_process>(dir.path / "state", args());
    BOOST_TEST(std::string(settled(11).at("judge").as_string()) == judge11);
    // kill -9 right after a correction: it is learned at the next start.
    const auto id13 = correct(100, ps[20]);
    BOOST_TEST(id13 > 0);
    server->stop(SIGKILL);
    server = std::make_unique<server_process>(dir.path / "state", args());
    auto s12b = settled(12);
    BOOST_TEST(s12b.at("corrections") == 12);
    const std::string judge12b(s12b.at("judge").as_string());
    // A damaged stored layer is never served: it is learned again, to the same bytes.
    BOOST_TEST(server->stop(SIGTERM) == 0);
    std::string out;
    const std::string db = (dir.path / "state" / "state.sqlite").string();
    BOOST_REQUIRE(run_command("sqlite3 '" + db + "' \"UPDATE personal_layer SET layer_text = "
                              "replace(layer_text, 'head application', 'head applicatiom')\"",
                              out) == 0);
    server = std::make_unique<server_process>(dir.path / "state", args());
    BOOST_TEST(std::string(settled(12).at("judge").as_string()) == judge12b);
    BOOST_REQUIRE(run_command("sqlite3 '" + db + "' \"SELECT count(*) FROM personal_layer WHERE "
                              "instr(layer_text, 'head application') > 0\"", out) == 0);
    BOOST_TEST(out.find('1') != std::string::npos, out); // stored again, intact
    // A layer stored by the format before (its hash intact) is not read: learned again.
    BOOST_TEST(server->stop(SIGTERM) == 0);
    BOOST_REQUIRE(run_command("sqlite3 '" + db + "' \"UPDATE personal_layer SET layer_text = "
                              "replace(layer_text, 'sieve-personal 3', 'sieve-personal 2')\"",
                              out) == 0);
    server = std::make_unique<server_process>(dir.path / "state", args());
    BOOST_TEST(std::string(settled(12).at("judge").as_string()) == judge12b);
    BOOST_REQUIRE(run_command("sqlite3 '" + db + "' \"SELECT count(*) FROM personal_layer WHERE "
                              "layer_text LIKE 'sieve-personal 3%'\"", out) == 0);
    BOOST_TEST(out.find('1') != std::string::npos, out); // stored again in the current format
    // DELETE /v1/personal: back to the shipped model.
    auto d = ok(call("DELETE", "/v1/personal"), "personal.response.schema.json");
    BOOST_TEST(d.at("withdrawn") == 12);
    // feedback_count counts the rows not withdrawn: only the new one (of 14 stored).
    json::object f{{"id", "after-reset"}, {"verdict", "irrelevant"}};
    BOOST_TEST(ok(call("POST", "/v1/feedback", json::serialize(f)), "feedback.response.schema.json")
                   .at("feedback_count") == 1);

    BOOST_TEST(d.at("corrections") == 0);
    BOOST_TEST(std::string(d.at("judge").as_string()).find("personal") == std::string::npos);
    BOOST_TEST(settled(0).at("last_trained").is_int64());
    BOOST_TEST(call("PUT", "/v1/personal").status == 405u);
}

// POST /v1/personal/affected over a real library whose every regular item is tagged
// sieve/relevant by hand (sqlite3 on a private copy): the preview names exactly the items the
// judge in use does not call relevant, each with its tag's verdict.
BOOST_AUTO_TEST_CASE(affected_items_preview_over_a_library) {
    temp_dir lib;
    ::setenv("XDG_CACHE_HOME", (lib.path / "cache").c_str(), 1);
    const auto db = lib.path / "zotero.sqlite";
    std::filesystem::copy_file(env_or_fail("SIEVE_SHARED") +
                                   "/zotero-libraries/zotero7-schema123-imaging.sqlite", db);
    std::filesystem::permissions(db, std::filesystem::perms::owner_read |
                                         std::filesystem::perms::owner_write);
    std::string out;
    BOOST_REQUIRE(run_command("sqlite3 '" + db.string() + "' \"INSERT INTO tags (name) VALUES "
                              "('sieve/relevant'); INSERT INTO itemTags (itemID, tagID, type) "
                              "SELECT i.itemID, (SELECT tagID FROM tags WHERE name = "
                              "'sieve/relevant'), 0 FROM items i JOIN itemTypes t USING "
                              "(itemTypeID) WHERE t.typeName NOT IN ('note', 'attachment', "
                              "'annotation')\"", out) == 0);
    server_process s(lib.path / "state", {"--db", db.string()});
    auto r = http_call(s.port, s.token, "POST", "/v1/personal/affected",
                       R"({"scope": "library", "libraryID": 1})");
    BOOST_REQUIRE_MESSAGE(r.status == 200u, r.body);
    auto errors = json_schema_validator::from_file(schema_path("personal.affected.response.schema.json"))
                      .validate(r.json());
    BOOST_TEST(errors.empty(), (errors.empty() ? "" : errors.front()));
    const auto o = r.json().as_object();
    BOOST_TEST(o.at("total").as_int64() > 0);
    BOOST_TEST(o.at("affected").as_int64() == std::int64_t(o.at("items").as_array().size()));
    for (const auto& it : o.at("items").as_array()) {
        BOOST_TEST(it.at("tagged").as_string() == "relevant");
        BOOST_TEST(it.at("verdict").as_string() != "relevant");
    }
    BOOST_TEST(http_call(s.port, s.token, "POST", "/v1/personal/affected", R"({"scope": 1})").status ==
               400u);
    BOOST_TEST(http_call(s.port, s.token, "GET", "/v1/personal/affected").status == 405u);
    BOOST_TEST_MESSAGE("affected " << o.at("affected").as_int64() << " of " << o.at("total").as_int64());
}

BOOST_AUTO_TEST_SUITE_END()
