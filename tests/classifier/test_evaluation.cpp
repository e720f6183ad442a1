// Scoring predictions (overall, per stratum, weighted) and the plain peers of `sieve eval`.
#define BOOST_TEST_MODULE evaluation
#include "classifier/criteria.hpp"
#include "classifier/embedded.hpp"
#include "classifier/evaluation.hpp"
#include "classifier/peers.hpp"

#include <boost/test/unit_test.hpp>

using namespace sieve;

namespace {

const criteria& seed() {
    static const criteria c = *parse_criteria(default_criteria_text());
    return c;
}

labelled_paper gold(std::string id, verdict v, std::string stratum,
                    std::vector<std::string> topics = {}) {
    labelled_paper lp;
    lp.p.id = std::move(id);
    lp.gold = v;
    lp.stratum = std::move(stratum);
    lp.topics = std::move(topics);
    lp.topics_known = lp.gold_topics = lp.seed_exact_file = true;
    return lp;
}

} // namespace

BOOST_AUTO_TEST_CASE(figures_per_stratum_and_weighted) {
    const std::string arch = "Model Architecture";
    std::vector<labelled_paper> d = {gold("a", verdict::relevant, "pos", {arch}),
                                     gold("b", verdict::application, "pos"),
                                     gold("c", verdict::irrelevant, "wild"),
                                     gold("d", verdict::irrelevant, "wild")};
    std::vector<std::size_t> which = {0, 1, 2, 3};
    std::vector<prediction> pred = {{verdict::relevant, 0.9, {arch}},
                                    {verdict::relevant, 0.6, {}},
                                    {verdict::irrelevant, 0.1, {}},
                                    {verdict::application, 0.2, {}}};
    gold_figures g = score_gold(d, which, pred, seed());
    BOOST_TEST(g.n == 4u);
    BOOST_TEST(g.three_way == 0.5);
    BOOST_TEST(g.relevant_precision == 0.5);
    BOOST_TEST(g.relevant_recall == 1.0);
    BOOST_TEST(g.topic_macro_f1 == 1.0); // one topic seen, predicted exactly
    std::map<std::string, double> w = {{"wild", 3.0}};
    BOOST_TEST(score_gold(d, which, pred, seed(), &w).three_way == 4.0 / 8.0);
    w["wild"] = 1.0, w["pos"] = 0.0;
    BOOST_TEST(score_gold(d, which, pred, seed(), &w).three_way == 0.5);

    const std::string report = evaluation_report(d, which, pred, seed());
    BOOST_TEST(report.find("3-way accuracy (agreed verdicts): 0.500") != std::string::npos, report);
    BOOST_TEST(report.find("stratum pos      n=2     relevant F1 0.667") != std::string::npos,
               report);
    BOOST_TEST(report.find("stratum wild     n=2     relevant F1 0.000 (P 0.000 R 0.000) 3-way "
                           "0.500") != std::string::npos, report);
}

// Written for this test (not corpus text).
BOOST_AUTO_TEST_CASE(keyword_peer_follows_the_criteria_phrases) {
    paper p;
    p.title = "Quantization of large language models";
    p.abstract = "We study post-training quantization and pruning of transformers.";
    prediction r = keyword_peer(p, seed());
    BOOST_TEST((r.label == verdict::relevant));
    BOOST_TEST(!r.topics.empty());
    p.title = "Tumor boundaries in medical imaging";
    p.abstract = "A segmentation method for medical imaging.";
    BOOST_TEST((keyword_peer(p, seed()).label == verdict::application));
    p.title = "Crop yields in 2024";
    p.abstract = "A field survey.";
    BOOST_TEST((keyword_peer(p, seed()).label == verdict::irrelevant));
}

BOOST_AUTO_TEST_CASE(tfidf_peer_learns_from_the_training_papers_only) {
    std::vector<labelled_paper> d;
    const char* rel[] = {"sparse attention transformers", "pruning transformer heads",
                         "quantization of transformer weights", "low-rank transformer layers"};
    const char* irr[] = {"crop yield survey", "river flood survey", "bird migration survey",
                         "soil survey methods"};
    for (int i = 0; i < 4; ++i) {
        const std::string n = std::to_string(i);
        d.push_back(gold(std::string("r").append(n), verdict::relevant, "pos"));
        d.back().p.title = rel[i];
        d.push_back(gold(std::string("i").append(n), verdict::irrelevant, "random"));
        d.back().p.title = irr[i];
    }
    d.push_back(gold("t1", verdict::relevant, "pos"));
    d.back().p.title = "transformer sparse pruning";
    d.push_back(gold("t2", verdict::irrelevant, "random"));
    d.back().p.title = "flood survey of rivers";
    std::vector<std::size_t> train = {0, 1, 2, 3, 4, 5, 6, 7}, test = {8, 9};
    auto p = tfidf_peer(d, train, test, seed(), 16.0);
    BOOST_TEST_REQUIRE(p.size() == 2u);
    BOOST_TEST((p[0].label == verdict::relevant));
    BOOST_TEST((p[1].label == verdict::irrelevant));
    BOOST_TEST(p[0].relevance > p[1].relevance);
}
