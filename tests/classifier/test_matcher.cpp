// criteria_matcher over the seed criteria, and how editing the criteria text changes matches and
// features without retraining.
#define BOOST_TEST_MODULE matcher
#include "classifier/features.hpp"
#include "classifier/matcher.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace sieve;

namespace {

criteria parse_ok(std::string_view text) {
    auto r = parse_criteria(text);
    BOOST_TEST_REQUIRE(r.has_value(), (r ? "" : r.error().what()));
    return *r;
}

const criteria& seed() {
    static const criteria c = parse_ok(default_criteria_text());
    return c;
}

// The seed with "Graph Neural Networks" added to the Keywords' Irrelevant list.
std::string edited_text() {
    std::string text(default_criteria_text());
    const std::string anchor = "- Irrelevant: Reinforcement Learning,";
    const auto at = text.find(anchor);
    BOOST_TEST_REQUIRE(at != std::string::npos);
    text.replace(at, anchor.size(), "- Irrelevant: Graph Neural Networks, Reinforcement Learning,");
    return text;
}

// The spans of `field` matched by phrases of lines of kind k.
std::vector<std::string> matched(const criteria& c, std::string_view field, line_kind k) {
    const criteria_matcher m(c);
    const auto toks = tokenize(field);
    std::vector<std::string> out;
    for (const auto& pm : m.find(toks)) {
        BOOST_TEST_REQUIRE(pm.line < c.lines.size());
        BOOST_TEST_REQUIRE(pm.phrase < c.lines[pm.line].phrases.size());
        BOOST_TEST_REQUIRE(pm.first_token < pm.last_token);
        BOOST_TEST_REQUIRE(pm.last_token <= toks.size());
        if (c.lines[pm.line].kind != k)
            continue;
        const auto b = toks[pm.first_token].begin, e = toks[pm.last_token - 1].end;
        out.emplace_back(field.substr(b, e - b));
    }
    return out;
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

paper make_paper(std::string title, std::string abstract) {
    paper p;
    p.title = std::move(title);
    p.abstract = std::move(abstract);
    return p;
}

} // namespace

BOOST_AUTO_TEST_CASE(seed_phrases_match_in_any_spelling) {
    const auto& c = seed();
    for (std::string_view text : {"We train a sparse mixture-of-experts language model.",
                                  "We train a sparse Mixture of Experts language model.",
                                  "We train a sparse MIXTURE-OF-EXPERTS language model."}) {
        BOOST_TEST_CONTEXT(text) {
            const auto kw = matched(c, text, line_kind::keywords_relevant);
            const auto topic = matched(c, text, line_kind::topic_relevant);
            BOOST_TEST(kw.size() + topic.size() > 0u);
            bool found = false;
            for (const auto& s : kw)
                found = found || s.size() == 18; // "mixture-of-experts" in any case/spelling
            for (const auto& s : topic)
                found = found || s.size() == 18;
            BOOST_TEST(found);
        }
    }
    const auto moe = matched(c, "Routing in MoE layers", line_kind::keywords_relevant);
    BOOST_TEST(contains(moe, "MoE"));
    BOOST_TEST(contains(matched(c, "Routing in MoE layers", line_kind::topic_relevant), "MoE"));
}

BOOST_AUTO_TEST_CASE(seed_keyword_lists_match) {
    const auto& c = seed();
    BOOST_TEST(contains(
        matched(c, "Deep reinforcement learning for games", line_kind::keywords_irrelevant),
        "reinforcement learning"));
    BOOST_TEST(contains(matched(c, "Medical imaging with U-Nets", line_kind::keywords_application),
                        "Medical imaging"));
    BOOST_TEST(
        contains(matched(c, "Post-training quantization of LLMs", line_kind::keywords_relevant),
                 "quantization"));
    // Stemming: plural and inflected forms match.
    BOOST_TEST(
        contains(matched(c, "Pruned transformers", line_kind::topic_relevant), "transformers"));
    BOOST_TEST(
        contains(matched(c, "with quantized weights", line_kind::keywords_relevant), "quantized"));
    BOOST_TEST(matched(c, "A study of bird migration", line_kind::keywords_relevant).empty());
    BOOST_TEST(matched(c, "", line_kind::topic_relevant).empty());
}

BOOST_AUTO_TEST_CASE(each_phrase_reported_once_per_position) {
    const auto& c = seed();
    const criteria_matcher m(c);
    const auto toks = tokenize("MoE MoE MoE");
    const auto ms = m.find(toks);
    BOOST_TEST(!ms.empty());
    for (std::size_t i = 0; i < ms.size(); ++i)
        for (std::size_t k = i + 1; k < ms.size(); ++k)
            BOOST_TEST(!(ms[i].line == ms[k].line && ms[i].phrase == ms[k].phrase &&
                         ms[i].first_token == ms[k].first_token));
    // Left to right.
    for (std::size_t i = 1; i < ms.size(); ++i)
        BOOST_TEST(ms[i - 1].first_token <= ms[i].first_token);
}

BOOST_AUTO_TEST_CASE(added_keyword_matches_without_retraining) {
    const std::string text = "Graph Neural Networks for molecule property prediction";
    BOOST_TEST(matched(seed(), text, line_kind::keywords_irrelevant).empty());
    const criteria edited = parse_ok(edited_text());
    BOOST_TEST(
        contains(matched(edited, text, line_kind::keywords_irrelevant), "Graph Neural Networks"));
    BOOST_TEST(contains(matched(edited, "We study graph neural network expressivity.",
                                line_kind::keywords_irrelevant),
                        "graph neural network"));
    BOOST_TEST(edited.version != seed().version);
}

BOOST_AUTO_TEST_CASE(added_keyword_changes_the_features) {
    const criteria edited = parse_ok(edited_text());
    const criteria_matcher m_seed(seed()), m_edited(edited);
    const paper p = make_paper("Graph Neural Networks at Scale",
                               "We study message passing in graph neural networks and propose "
                               "a new aggregation scheme with better expressivity.");
    const auto a_seed = analyse(p, m_seed);
    const auto a_edited = analyse(p, m_edited);
    BOOST_TEST(a_seed.title_matches.size() < a_edited.title_matches.size());
    const auto x_seed = make_features(a_seed, seed(), 20);
    const auto x_edited = make_features(a_edited, edited, 20);
    BOOST_TEST(x_seed.index != x_edited.index);
    const auto kirr_title = feature_index("c:kirr", "title", 20);
    BOOST_TEST(std::count(x_seed.index.begin(), x_seed.index.end(), kirr_title) == 0);
    BOOST_TEST(std::count(x_edited.index.begin(), x_edited.index.end(), kirr_title) == 1);

    // A paper without the phrase has the same features under both.
    const paper q = make_paper("Pruning transformers", "We prune attention heads.");
    const auto y_seed = make_features(analyse(q, m_seed), seed(), 20);
    const auto y_edited = make_features(analyse(q, m_edited), edited, 20);
    BOOST_TEST(y_seed.index == y_edited.index, boost::test_tools::per_element());
    BOOST_TEST(y_seed.value == y_edited.value, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(features_are_sorted_unique_and_bounded) {
    const criteria_matcher m(seed());
    for (unsigned bits : {8u, 12u, 20u}) {
        const paper p = make_paper("Sparse Mixture-of-Experts Transformers",
                                   "We prune and quantize a mixture of experts model. Pruning "
                                   "removes 50% of weights; quantization uses 4 bits.");
        const auto x = make_features(analyse(p, m), seed(), bits);
        BOOST_TEST_REQUIRE(x.index.size() == x.value.size());
        BOOST_TEST(!x.index.empty());
        for (std::size_t i = 0; i < x.index.size(); ++i) {
            BOOST_TEST(x.index[i] < (1u << bits));
            if (i > 0)
                BOOST_TEST(x.index[i - 1] < x.index[i]);
        }
    }
    // No abstract: the c:noabs feature is present.
    const auto x = make_features(analyse(make_paper("Pruning", ""), m), seed(), 20);
    const auto noabs = feature_index("c:noabs", "", 20);
    BOOST_TEST(std::count(x.index.begin(), x.index.end(), noabs) == 1);
    // Deterministic.
    const paper p = make_paper("Low-rank adapters", "We study low-rank adaptation.");
    const auto x1 = make_features(analyse(p, m), seed(), 20);
    const auto x2 = make_features(analyse(p, m), seed(), 20);
    BOOST_TEST(x1.index == x2.index, boost::test_tools::per_element());
    BOOST_TEST(x1.value == x2.value, boost::test_tools::per_element());
}
