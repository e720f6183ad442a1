// The judge as a whole (embedded criteria + embedded model) on hand-written synthetic papers,
// its evidence and note, thin evidence, hostile input, and creation errors.
#define BOOST_TEST_MODULE classifier
#include "classifier/classifier.hpp"
#include "classifier/embedded.hpp"

#include <boost/test/unit_test.hpp>
#include <tinyxml2.h>

#include <algorithm>
#include <random>
#include <string>
#include <thread>

using namespace sieve;

namespace {

const classifier& judge() {
    static const classifier c = classifier::create_default();
    return c;
}

paper make_paper(std::string title, std::string abstract) {
    paper p;
    p.id = "synthetic";
    p.title = std::move(title);
    p.abstract = std::move(abstract);
    return p;
}

// Written for this test (not corpus text).
paper pruning_paper() {
    return make_paper(
        "Structured Pruning of Transformers via Learned Head Importance",
        "We propose a new structured pruning method for transformer language models. Our approach "
        "learns an importance score for every attention head and feed-forward channel and removes "
        "the least important ones, reducing parameters by 50% and inference latency by 40% with "
        "less than one point loss in accuracy. We analyse why sparsity in attention heads is "
        "possible and show that the pruned models retain their representations.");
}

paper segmentation_paper() {
    return make_paper(
        "Boundary-Aware U-Net for Tumor Segmentation in Brain MRI",
        "We present a segmentation network for medical imaging that delineates brain tumors in "
        "magnetic resonance images. A boundary-aware loss and a multi-scale decoder improve the "
        "Dice score on a public benchmark by 2 points over strong baselines. The method assists "
        "radiologists in clinical workflows.");
}

paper robotics_paper() {
    return make_paper(
        "Learning Dexterous Grasping Policies with Reinforcement Learning",
        "We train a robot arm to grasp household objects with deep reinforcement learning. A "
        "reward shaping scheme and domain randomization in simulation let the policy transfer to "
        "a real robot, reaching a 90% grasp success rate on unseen objects.");
}

const std::string& field_of(const paper& p, const std::string& name) {
    if (name == "title")
        return p.title;
    if (name == "abstract")
        return p.abstract;
    if (name == "venue")
        return p.venue;
    BOOST_FAIL("unexpected evidence field " << name);
    return p.title;
}

// Every evidence item quotes the paper's own text at its offsets; the note is one well-formed
// <div data-sieve-note="1">; score and confidence are in range.
void check_judgment(const paper& p, const judgment& j) {
    const auto& crit = judge().active_criteria();
    for (const auto& e : j.evidence) {
        const std::string& f = field_of(p, e.field);
        BOOST_TEST_REQUIRE(e.begin < e.end);
        BOOST_TEST_REQUIRE(e.end <= f.size());
        BOOST_TEST(f.substr(e.begin, e.end - e.begin) == e.quote);
        BOOST_TEST((e.criterion < crit.lines.size() || e.criterion == no_criterion));
        BOOST_TEST((e.criterion < crit.lines.size() || !e.supports.empty())); // tied to something
    }
    tinyxml2::XMLDocument doc;
    BOOST_TEST_REQUIRE(doc.Parse(j.note_html.c_str(), j.note_html.size()) == tinyxml2::XML_SUCCESS);
    const auto* root = doc.RootElement();
    BOOST_TEST_REQUIRE(root != nullptr);
    BOOST_TEST(std::string(root->Name()) == "div");
    BOOST_TEST(root->Attribute("data-sieve-note", "1"));
    BOOST_TEST(root->NextSiblingElement() == nullptr);
    BOOST_TEST(j.score >= 1);
    BOOST_TEST(j.score <= 10);
    BOOST_TEST(j.confidence >= 0.0);
    BOOST_TEST(j.confidence <= 1.0);
    BOOST_TEST(j.relevance >= 0.0);
    BOOST_TEST(j.relevance <= 1.0);
    BOOST_TEST(!j.judge.empty());
    for (const auto& t : j.topics)
        BOOST_TEST(std::any_of(crit.topics.begin(), crit.topics.end(),
                               [&](const topic& x) { return x.name == t; }));
}

bool has_topic(const judgment& j, std::string_view t) {
    return std::find(j.topics.begin(), j.topics.end(), t) != j.topics.end();
}

std::string with_extra_irrelevant_keyword(std::string_view keyword) {
    std::string text(default_criteria_text());
    const std::string anchor = "- Irrelevant: Reinforcement Learning,";
    const auto at = text.find(anchor);
    BOOST_TEST_REQUIRE(at != std::string::npos);
    text.replace(at, anchor.size(),
                 "- Irrelevant: " + std::string(keyword) + ", Reinforcement Learning,");
    return text;
}

} // namespace

BOOST_AUTO_TEST_CASE(pruning_paper_is_relevant_compression) {
    const paper p = pruning_paper();
    const judgment j = judge().judge(p);
    check_judgment(p, j);
    BOOST_TEST(to_string(j.label) == "relevant");
    BOOST_TEST(has_topic(j, "Model Compression and Efficiency"));
    BOOST_TEST(j.score >= 7);
    BOOST_TEST(!j.thin_evidence);
    BOOST_TEST(!j.evidence.empty());
    BOOST_TEST(j.note_html.find("Relevant") != std::string::npos);
    BOOST_TEST(j.note_html.find("line 10") != std::string::npos); // the compression criterion
}

BOOST_AUTO_TEST_CASE(medical_segmentation_is_not_relevant) {
    const paper p = segmentation_paper();
    const judgment j = judge().judge(p);
    check_judgment(p, j);
    BOOST_TEST(to_string(j.label) != "relevant");
    BOOST_TEST(j.score <= 6);
    // Its Application keyword is shown as evidence (alone or within a phrase).
    BOOST_TEST(std::any_of(j.evidence.begin(), j.evidence.end(), [](const evidence& e) {
        return e.quote.find("medical imaging") != std::string::npos;
    }));
}

BOOST_AUTO_TEST_CASE(robotics_rl_is_not_relevant) {
    const paper p = robotics_paper();
    const judgment j = judge().judge(p);
    check_judgment(p, j);
    BOOST_TEST(to_string(j.label) != "relevant");
    BOOST_TEST(j.score <= 6);
}

BOOST_AUTO_TEST_CASE(markup_fields_quote_the_stored_text) {
    paper p = pruning_paper();
    p.title = "Structured <i>Pruning</i> of <b>Transformers</b>";
    p.abstract =
        "<jats:title>Abstract</jats:title><jats:p>We propose a structured pruning "
        "method for transformer models &amp; analyse its sparsity. Quantization&#x2d;aware "
        "training is combined with low&#8209;rank adapters.</jats:p>";
    const judgment j = judge().judge(p);
    check_judgment(p, j);
    BOOST_TEST(!j.evidence.empty());
    for (const auto& e : j.evidence)
        BOOST_TEST(e.quote.find('<') == std::string::npos, e.quote);
}

BOOST_AUTO_TEST_CASE(empty_abstract_is_thin_and_less_confident) {
    const paper full = pruning_paper();
    const paper bare = make_paper(full.title, "");
    const judgment jf = judge().judge(full);
    const judgment jb = judge().judge(bare);
    check_judgment(bare, jb);
    BOOST_TEST(jb.thin_evidence);
    BOOST_TEST(jb.confidence < jf.confidence);
    BOOST_TEST(jb.note_html.find("No abstract") != std::string::npos);
    // Whitespace only counts as no abstract as well.
    const judgment jw = judge().judge(make_paper(full.title, " \n\t "));
    BOOST_TEST(jw.thin_evidence);
    // Nothing at all.
    const judgment je = judge().judge(paper{});
    check_judgment(paper{}, je);
    BOOST_TEST(je.thin_evidence);
    BOOST_TEST(je.evidence.empty());
}

BOOST_AUTO_TEST_CASE(non_english_abstract_is_thin) {
    const paper p = make_paper(
        "\u041f\u0440\u0443\u043d\u0438\u043d\u0433 "
        "\u0442\u0440\u0430\u043d\u0441\u0444\u043e\u0440\u043c\u0435\u0440\u043e\u0432",
        "\u041c\u044b \u043f\u0440\u0435\u0434\u043b\u0430\u0433\u0430\u0435\u043c "
        "\u043d\u043e\u0432\u044b\u0439 \u043c\u0435\u0442\u043e\u0434 "
        "\u043f\u0440\u0443\u043d\u0438\u043d\u0433\u0430 \u0432\u0435\u0441\u043e\u0432 "
        "\u0431\u043e\u043b\u044c\u0448\u0438\u0445 "
        "\u044f\u0437\u044b\u043a\u043e\u0432\u044b\u0445 "
        "\u043c\u043e\u0434\u0435\u043b\u0435\u0439 \u0438 "
        "\u043f\u043e\u043a\u0430\u0437\u044b\u0432\u0430\u0435\u043c, "
        "\u0447\u0442\u043e \u0442\u043e\u0447\u043d\u043e\u0441\u0442\u044c "
        "\u0441\u043e\u0445\u0440\u0430\u043d\u044f\u0435\u0442\u0441\u044f \u043f\u0440\u0438 "
        "\u0443\u0434\u0430\u043b\u0435\u043d\u0438\u0438 "
        "\u043f\u043e\u043b\u043e\u0432\u0438\u043d\u044b "
        "\u043f\u0430\u0440\u0430\u043c\u0435\u0442\u0440\u043e\u0432 "
        "\u043a\u0430\u0436\u0434\u043e\u0433\u043e "
        "\u0441\u043b\u043e\u044f \u0441\u0435\u0442\u0438.");
    const judgment j = judge().judge(p);
    check_judgment(p, j);
    BOOST_TEST(j.thin_evidence);
}

// A Chinese-titled robotics thesis without an abstract (title: "Research on path planning for
// mobile robots", written for this test): nothing the model can read shows machine learning.
BOOST_AUTO_TEST_CASE(unreadable_thesis_is_not_application) {
    paper p = make_paper("\u79fb\u52a8\u673a\u5668\u4eba\u8def\u5f84\u89c4\u5212"
                         "\u7b97\u6cd5\u7814\u7a76", "");
    p.item_type = "thesis";
    const judgment j = judge().judge(p);
    check_judgment(p, j);
    BOOST_TEST(to_string(j.label) == "irrelevant");
    BOOST_TEST(j.thin_evidence);
}

// Written for this test (not corpus text): distributed systems without machine learning.
BOOST_AUTO_TEST_CASE(systems_paper_without_ml_is_irrelevant) {
    const paper p = make_paper(
        "A Leader-Based Consensus Protocol for Replicated State Machines",
        "We present a crash-fault-tolerant consensus protocol for replicated state machines in "
        "asynchronous networks. Replicas elect a leader that orders client requests in a log; "
        "a new leader is elected after a timeout. We prove safety under any number of message "
        "delays and liveness once the network stabilises, and our implementation in a "
        "key-value store commits 40,000 operations per second on five replicas.");
    const judgment j = judge().judge(p);
    check_judgment(p, j);
    BOOST_TEST(to_string(j.label) == "irrelevant");
}

BOOST_AUTO_TEST_CASE(hostile_input_never_throws) {
    std::mt19937 rng(99);
    std::string random_bytes(200000, '\0');
    for (auto& ch : random_bytes)
        ch = static_cast<char>(rng() & 0xff);
    std::string words;
    while (words.size() < 300'000) // a long abstract; kept moderate for a debug build
        words += "pruning sparse mixture-of-experts transformers quantization ";
    std::string controls;
    for (int i = 0; i < 2000; ++i)
        controls += static_cast<char>(i % 32);
    controls += "pruning\x01quantization\x7f\x1b[31mMoE";
    const std::vector<std::string> hostile = {
        std::string(1'000'000, '$'),
        std::string(1'000'000, '\\'),
        std::string(500'000, '<'),
        std::string(500'000, '&'),
        "$" + std::string(1'000'000, 'a'),
        words,
        controls,
        random_bytes,
        "\xff\xfe\xfd pruning \xc3\x28 \xe2\x28\xa1 MoE \xf0\x28\x8c\xbc \xed\xa0\x80 sparsity",
        "<jats:p>unclosed <i>tags &amp pruning &#xFFFFFFFF; &#0; &#xD800; MoE",
        "\\emph{\\emph{\\emph{pruning}}} \\( unclosed math \\[ more $$ $ pruning",
        std::string("embedded\0nul pruning", 20),
    };
    for (std::size_t i = 0; i < hostile.size(); ++i) {
        BOOST_TEST_CONTEXT("input " << i) {
            for (int field = 0; field < 3; ++field) {
                paper p = make_paper(field == 0 ? hostile[i] : "Pruning transformers",
                                     field == 1 ? hostile[i] : "We prune sparse models.");
                if (field == 2) {
                    p.venue = hostile[i];
                    p.keywords = {hostile[i], "", hostile[i].substr(0, 100)};
                    p.item_type = hostile[i].substr(0, 1000);
                }
                judgment j;
                BOOST_REQUIRE_NO_THROW(j = judge().judge(p));
                check_judgment(p, j);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(judging_is_deterministic_across_threads) {
    const std::vector<paper> papers = {pruning_paper(), segmentation_paper(), robotics_paper()};
    std::vector<judgment> a(papers.size()), b(papers.size());
    std::thread t([&] {
        for (std::size_t i = 0; i < papers.size(); ++i)
            a[i] = judge().judge(papers[i]);
    });
    for (std::size_t i = 0; i < papers.size(); ++i)
        b[i] = judge().judge(papers[i]);
    t.join();
    for (std::size_t i = 0; i < papers.size(); ++i) {
        BOOST_TEST(a[i].note_html == b[i].note_html);
        BOOST_TEST(a[i].relevance == b[i].relevance);
    }
}

BOOST_AUTO_TEST_CASE(create_reports_bad_criteria_and_model) {
    auto bad = classifier::create("1. Vision\n   - Relevant: detection\n2.\n   - Relevant: x\n",
                                  embedded_model_text());
    BOOST_TEST_REQUIRE(!bad.has_value());
    BOOST_TEST(bad.error().find("line 3") != std::string::npos, bad.error());
    BOOST_TEST(bad.error().find('\n') == std::string::npos);

    auto no_topics = classifier::create("just prose\n", embedded_model_text());
    BOOST_TEST_REQUIRE(!no_topics.has_value());
    BOOST_TEST(!no_topics.error().empty());

    auto bad_model = classifier::create(default_criteria_text(), "sieve-model 1\nversion x\n");
    BOOST_TEST_REQUIRE(!bad_model.has_value());
    BOOST_TEST(bad_model.error().starts_with("model line "), bad_model.error());

    auto ok = classifier::create(default_criteria_text(), embedded_model_text());
    BOOST_TEST_REQUIRE(ok.has_value());
    BOOST_TEST(ok->criteria_version() == judge().criteria_version());
    BOOST_TEST(ok->model_version() == judge().model_version());
    BOOST_TEST(ok->model_version().size() == 16u);
}

BOOST_AUTO_TEST_CASE(edited_criteria_change_the_judgment_without_retraining) {
    auto edited = classifier::create(with_extra_irrelevant_keyword("Graph Neural Networks"),
                                     embedded_model_text());
    BOOST_TEST_REQUIRE(edited.has_value(), (edited ? "" : edited.error()));
    BOOST_TEST(edited->criteria_version() != judge().criteria_version());
    const paper p = make_paper("Expressive Graph Neural Networks with Higher-Order Messages",
                               "We study the expressive power of graph neural networks and "
                               "propose higher-order message passing that distinguishes more "
                               "graphs than the Weisfeiler-Leman test.");
    const judgment before = judge().judge(p);
    const judgment after = edited->judge(p);
    check_judgment(p, before);
    BOOST_TEST(after.note_html != before.note_html);
    BOOST_TEST(after.relevance <= before.relevance);
    if (after.label == verdict::irrelevant) { // the new keyword is named as the reason
        const auto& crit = edited->active_criteria();
        BOOST_TEST(
            std::any_of(after.evidence.begin(), after.evidence.end(), [&](const evidence& e) {
                return e.criterion < crit.lines.size() &&
                       crit.lines[e.criterion].kind == line_kind::keywords_irrelevant;
            }));
        BOOST_TEST(after.note_html.find("Graph Neural Networks") != std::string::npos);
    }
}
