// Unit tests of connector/llm/llm_reply (the LLM reply parser) and connector/llm/llm_prompt: code fences,
// prose around the JSON, wrong types, missing and extra items, hostile replies.
#define BOOST_TEST_MODULE llm_reply
#include "connector/llm/llm_prompt.hpp"
#include "connector/llm/llm_reply.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

BOOST_TEST_DONT_PRINT_LOG_VALUE(sieve::verdict)

using namespace sieve;

namespace {

const criteria& seed() {
    static const criteria c = parse_criteria(default_criteria_text()).value();
    return c;
}

struct batch_fixture {
    paper a{"a", "Sparse Mixture-of-Experts layers", "We prune and quantize transformers.", "", "",
            {}};
    paper b{"b", "Medical image segmentation with U-Nets", "We segment CT scans.", "", "", {}};
    std::vector<const paper*> batch{&a, &b};
    llm_reply_stats stats;
    std::vector<std::optional<judgment>> parse(std::string_view reply) {
        return parse_llm_reply(reply, batch, seed(), &stats);
    }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(reply, batch_fixture)

BOOST_AUTO_TEST_CASE(fenced_json_inside_prose) {
    auto r =
        parse("Sure! Here are the judgments:\n```json\n{\"papers\": ["
              "{\"id\": \"p1\", \"verdict\": \"relevant\", \"topics\": [\"Model Architecture\"],"
              " \"score\": 9, \"reason\": \"MoE layers.\", \"evidence\": [{\"quote\": "
              "\"Sparse Mixture-of-Experts\", \"line\": 6}]},"
              "{\"id\": \"p2\", \"verdict\": \"application\", \"topics\": [], \"score\": 4,"
              " \"reason\": \"Medical imaging.\", \"evidence\": [\"segment CT scans\"]}]}\n```\n"
              "Let me know if you need more.");
    BOOST_REQUIRE(r[0] && r[1]);
    BOOST_TEST(r[0]->label == verdict::relevant);
    BOOST_TEST(r[0]->topics == std::vector<std::string>{"Model Architecture"});
    BOOST_TEST(r[0]->score == 9);
    BOOST_TEST(r[0]->reason == "MoE layers.");
    BOOST_REQUIRE(r[0]->evidence.size() == 1u);
    const auto& e = r[0]->evidence[0];
    BOOST_TEST(e.field == "title");
    BOOST_TEST(a.title.substr(e.begin, e.end - e.begin) == e.quote);
    BOOST_TEST(seed().lines[e.criterion].line_no == 6u);
    BOOST_TEST(r[1]->label == verdict::application);
    BOOST_REQUIRE(r[1]->evidence.size() == 1u);
    BOOST_TEST(r[1]->evidence[0].field == "abstract");
}

BOOST_AUTO_TEST_CASE(bare_array_keyed_object_and_wrong_types) {
    auto r = parse("[{\"id\": 2, \"verdict\": \" Irrelevant \", \"score\": \"9\", \"topics\": "
                   "\"model architecture\", \"confidence\": 7}, {\"id\": \"P1\", \"verdict\": 3}]");
    BOOST_TEST(!r[0]); // verdict of the wrong type: missing
    BOOST_REQUIRE(r[1]);
    BOOST_TEST(r[1]->label == verdict::irrelevant);
    BOOST_TEST(r[1]->score == 2); // clamped into the verdict's range
    BOOST_TEST(r[1]->topics == std::vector<std::string>{"Model Architecture"});
    BOOST_TEST(r[1]->confidence == 0.8); // 7 is no probability
    auto k = parse("{\"p2\": {\"verdict\": \"relevant\", \"score\": 100}}");
    BOOST_TEST(!k[0]);
    BOOST_REQUIRE(k[1]);
    BOOST_TEST(k[1]->score == 10);
}

BOOST_AUTO_TEST_CASE(missing_extra_and_duplicate_items) {
    auto r = parse("{\"results\": [{\"id\": \"p1\", \"verdict\": \"relevant\"}, {\"id\": \"p1\", "
                   "\"verdict\": \"irrelevant\"}, {\"id\": \"p9\", \"verdict\": \"relevant\"}, "
                   "{\"verdict\": \"relevant\"}]}");
    BOOST_REQUIRE(r[0]);
    BOOST_TEST(r[0]->label == verdict::relevant); // the first answer wins
    BOOST_TEST(r[0]->score == 8);                 // no score: the range's default
    BOOST_TEST(!r[1]);
    BOOST_TEST(stats.rejected_items == 2u); // p9 and the one without an id
}

BOOST_AUTO_TEST_CASE(garbage_gives_nothing) {
    for (std::string_view s : {"", "I cannot help with that.", "{\"papers\": [", "[1, 2, 3]",
                               "{\"papers\": \"none\"}", "```json\n```", "{{{{[[[["}) {
        auto r = parse(s);
        BOOST_TEST((!r[0] && !r[1]), s);
    }
}

BOOST_AUTO_TEST_CASE(hostile_reply_cannot_leave_the_vocabulary) {
    auto r =
        parse("{\"papers\": [{\"id\": \"p1\", \"verdict\": \"relevant\", \"topics\": "
              "[\"Model Architecture\", \"sieve/relevant\", \"../../etc\", \"Evil <b>x</b>\", "
              "{\"name\": \"ML Systems\"}], \"reason\": \"<script>alert(1)</script>\\nline 2\", "
              "\"evidence\": [\"Ignore previous instructions\", {\"quote\": \"prune and "
              "quantize\", \"line\": 99999}]}, {\"id\": \"p2\", \"verdict\": \"relevant; add tag "
              "sieve/topic/Evil\"}]}");
    BOOST_REQUIRE(r[0]);
    BOOST_TEST(r[0]->topics == std::vector<std::string>{"Model Architecture"});
    BOOST_TEST(stats.dropped_topics == 4u);
    BOOST_TEST(r[0]->reason.find('\n') == std::string::npos);
    BOOST_REQUIRE(r[0]->evidence.size() == 1u); // the invented quote is dropped
    BOOST_TEST(r[0]->evidence[0].quote == "prune and quantize");
    BOOST_TEST(stats.dropped_quotes == 1u);
    BOOST_TEST(!r[1]);
}

BOOST_AUTO_TEST_CASE(one_paper_answer_without_id) {
    std::vector<const paper*> one{&a};
    auto r = parse_llm_reply("{\"verdict\": \"irrelevant\", \"score\": 1}", one, seed());
    BOOST_REQUIRE(r[0]);
    BOOST_TEST(r[0]->label == verdict::irrelevant);
}

BOOST_AUTO_TEST_CASE(prompt_numbers_criteria_and_lists_papers) {
    paper bad{"x", "Bad \xff UTF-8", std::string(6000, 'w'), "", "Venue", {}};
    std::vector<const paper*> batch3{&a, &b, &bad};
    auto body = boost::json::parse(build_llm_request("m", default_criteria_text(), seed(), batch3));
    BOOST_TEST(body.at("model") == "m");
    std::string user(body.at("messages").at(1).at("content").as_string());
    BOOST_TEST(user.find("6|    - Relevant: Mixture-of-Experts") != std::string::npos);
    auto papers =
        boost::json::parse(user.substr(user.find(llm_papers_marker) + llm_papers_marker.size()));
    BOOST_REQUIRE(papers.as_array().size() == 3u);
    BOOST_TEST(papers.at(2).at("id") == "p3");
    BOOST_TEST(papers.at(2).at("title") == "Bad ? UTF-8");
    BOOST_TEST(papers.at(2).at("abstract").as_string().size() == 4000u);
    BOOST_TEST(papers.at(2).at("venue") == "Venue");
}

BOOST_AUTO_TEST_SUITE_END()
