#define BOOST_TEST_MODULE criteria
#include "classifier/criteria.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

using namespace sieve;

namespace {

std::string lower(std::string s) {
    for (auto& ch : s)
        if (ch >= 'A' && ch <= 'Z')
            ch = static_cast<char>(ch - 'A' + 'a');
    return s;
}

criteria parse_ok(std::string_view text) {
    auto r = parse_criteria(text);
    BOOST_TEST_REQUIRE(r.has_value(), (r ? "" : r.error().what()));
    return *r;
}

criteria_error parse_error(std::string_view text) {
    auto r = parse_criteria(text);
    BOOST_TEST_REQUIRE(!r.has_value());
    return r.error();
}

const phrase* find_phrase(const criterion_line& l, std::string_view text) {
    for (const auto& p : l.phrases)
        if (lower(p.text) == lower(std::string(text)))
            return &p;
    return nullptr;
}

bool has_alias(const phrase& p, std::string_view alias) {
    return std::any_of(p.aliases.begin(), p.aliases.end(),
                       [&](const std::string& a) { return lower(a) == lower(std::string(alias)); });
}

// All phrase texts of a line, lower case.
std::vector<std::string> texts(const criterion_line& l) {
    std::vector<std::string> out;
    for (const auto& p : l.phrases)
        out.push_back(lower(p.text));
    return out;
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

const criterion_line& line_no(const criteria& c, std::size_t no) {
    for (const auto& l : c.lines)
        if (l.line_no == no)
            return l;
    BOOST_FAIL("no criterion line " << no);
    return c.lines.front();
}

const std::string seed{default_criteria_text()};

} // namespace

BOOST_AUTO_TEST_CASE(seed_has_five_topics) {
    const auto c = parse_ok(seed);
    BOOST_TEST_REQUIRE(c.topics.size() == 5u);
    const char* names[] = {"Model Architecture", "Model Compression and Efficiency",
                           "High Performance Computing", "Representation Learning", "ML Systems"};
    for (std::size_t i = 0; i < 5; ++i) {
        BOOST_TEST(c.topics[i].number == static_cast<int>(i + 1));
        BOOST_TEST(c.topics[i].name == names[i]);
        for (auto li : c.topics[i].lines)
            BOOST_TEST(c.lines.at(li).topic == static_cast<int>(i));
    }
    BOOST_TEST(c.version.size() == 16u);
    BOOST_TEST(c.version.find_first_not_of("0123456789abcdef") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(seed_line_numbers_and_kinds) {
    const auto c = parse_ok(seed);
    BOOST_TEST(int(line_no(c, 6).kind) == int(line_kind::topic_relevant));
    BOOST_TEST(line_no(c, 6).topic == 0);
    BOOST_TEST(line_no(c, 6).text.rfind("Mixture-of-Experts (MoE), Transformers", 0) == 0u);
    BOOST_TEST(int(line_no(c, 7).kind) == int(line_kind::topic_irrelevant));
    BOOST_TEST(int(line_no(c, 10).kind) == int(line_kind::topic_relevant));
    BOOST_TEST(line_no(c, 10).topic == 1);
    BOOST_TEST(int(line_no(c, 22).kind) == int(line_kind::topic_goal));
    // Topic 5: the nested Relevant bullets, the "-Irrelevant (Filter out):" list and the
    // "Practical filters" list.
    for (std::size_t no = 24; no <= 32; ++no) {
        BOOST_TEST(int(line_no(c, no).kind) == int(line_kind::topic_relevant), "line " << no);
        BOOST_TEST(line_no(c, no).topic == 4);
    }
    for (std::size_t no = 35; no <= 37; ++no)
        BOOST_TEST(int(line_no(c, no).kind) == int(line_kind::topic_irrelevant), "line " << no);
    for (std::size_t no = 40; no <= 43; ++no)
        BOOST_TEST(int(line_no(c, no).kind) == int(line_kind::topic_filter), "line " << no);
    BOOST_TEST(int(line_no(c, 47).kind) == int(line_kind::keywords_relevant));
    BOOST_TEST(int(line_no(c, 48).kind) == int(line_kind::keywords_irrelevant));
    BOOST_TEST(int(line_no(c, 49).kind) == int(line_kind::keywords_application));
    BOOST_TEST(line_no(c, 49).topic == -1);
    BOOST_TEST(line_no(c, 35).text.rfind("Papers that simply apply", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(seed_aliases) {
    const auto c = parse_ok(seed);
    const auto* moe = find_phrase(line_no(c, 6), "Mixture-of-Experts");
    BOOST_TEST_REQUIRE(moe);
    BOOST_TEST(has_alias(*moe, "mixture of experts"));
    BOOST_TEST(has_alias(*moe, "mixture-of-experts"));
    BOOST_TEST(has_alias(*moe, "MoE"));
    const auto* moe_kw = find_phrase(line_no(c, 47), "Mixture of Experts");
    BOOST_TEST_REQUIRE(moe_kw);
    BOOST_TEST(has_alias(*moe_kw, "mixture-of-experts"));
    BOOST_TEST(has_alias(*moe_kw, "MoE"));

    const auto t6 = texts(line_no(c, 6));
    BOOST_TEST(contains(t6, "conditional networks"));
    BOOST_TEST(contains(t6, "dynamic networks"));
    BOOST_TEST(contains(t6, "transformers"));
    BOOST_TEST(contains(t6, "autoencoders"));
    const auto kw = texts(line_no(c, 47));
    for (auto p : {"sparse", "sparsity", "compression", "efficiency", "low-rank",
                   "representation learning", "foundation model"})
        BOOST_TEST(contains(kw, p), p);
    BOOST_TEST(!contains(kw, "etc"));
    const auto app = texts(line_no(c, 49));
    for (auto p : {"spatial modeling", "temporal modeling", "medical imaging", "3d vision",
                   "time series", "knowledge graph"})
        BOOST_TEST(contains(app, p), p);
    const auto* low_rank = find_phrase(line_no(c, 47), "Low-rank");
    BOOST_TEST_REQUIRE(low_rank);
    BOOST_TEST(has_alias(*low_rank, "low rank"));
}

BOOST_AUTO_TEST_CASE(sentence_bullets_give_noun_phrases) {
    const auto c = parse_ok(seed);
    for (const auto& l : c.lines)
        for (const auto& p : l.phrases) {
            const auto t = lower(p.text);
            BOOST_TEST(t != "new");
            BOOST_TEST(t != "improvements");
            BOOST_TEST(t != "papers");
            BOOST_TEST(t.find("e.g") == std::string::npos);
            BOOST_TEST(t.find("etc") == std::string::npos);
            BOOST_TEST(std::count(t.begin(), t.end(), ' ') < 6, t);
        }
    const auto l24 = texts(line_no(c, 24));
    BOOST_TEST(contains(l24, "sync protocols"));
    BOOST_TEST(contains(l24, "async protocols"));
    BOOST_TEST(contains(l24, "communication compression"));
    const auto l26 = texts(line_no(c, 26));
    BOOST_TEST(contains(l26, "topology-aware scheduling"));
    const auto l27 = texts(line_no(c, 27));
    BOOST_TEST(contains(l27, "operator fusion"));
    const auto l36 = texts(line_no(c, 36));
    BOOST_TEST(contains(l36, "medical imaging"));
    BOOST_TEST(contains(l36, "autonomous driving"));
    const auto l10 = texts(line_no(c, 10));
    for (auto p : {"sparsity", "pruning", "quantization", "low-rank", "cache"})
        BOOST_TEST(contains(l10, p), p);
}

BOOST_AUTO_TEST_CASE(seed_file_in_shared_matches_embedded_copy) {
    const char* shared = std::getenv("SIEVE_SHARED");
    if (!shared)
        return;
    std::ifstream f(std::string(shared) + "/criteria/seed-criteria.md", std::ios::binary);
    if (!f)
        return;
    std::stringstream ss;
    ss << f.rdbuf();
    const auto c = parse_ok(ss.str());
    BOOST_TEST(c.topics.size() == 5u);
}

BOOST_AUTO_TEST_CASE(variants_parse) {
    const std::string text = "\xEF\xBB\xBF# My interests\r\n\r\n"
                             "## 1. Graph Learning\r\n"
                             "* Relevant: Graph neural networks (GNNs), message passing\r\n"
                             "* Not relevant: molecule property prediction\r\n"
                             "\r\n"
                             "## 2) **Optimisation**\r\n"
                             "\t- **Relevant:** Adam/SGD convergence, learning-rate schedules\r\n"
                             "\t- Notes: wrapped bullet text\r\n"
                             "\t  continues here\r\n"
                             "\r\n"
                             "Keywords:\r\n"
                             "* Relevant: Optimizer\r\n"
                             "* Application: Drug Discovery\r\n";
    const auto c = parse_ok(text);
    BOOST_TEST_REQUIRE(c.topics.size() == 2u);
    BOOST_TEST(c.topics[0].name == "Graph Learning");
    BOOST_TEST(c.topics[1].name == "Optimisation");
    BOOST_TEST(c.topics[1].number == 2);
    const auto& gnn = line_no(c, 4);
    BOOST_TEST(int(gnn.kind) == int(line_kind::topic_relevant));
    const auto* p = find_phrase(gnn, "Graph neural networks");
    BOOST_TEST_REQUIRE(p);
    BOOST_TEST(has_alias(*p, "GNNs"));
    BOOST_TEST(int(line_no(c, 5).kind) == int(line_kind::topic_irrelevant));
    const auto opt = texts(line_no(c, 8));
    BOOST_TEST(contains(opt, "adam convergence"));
    BOOST_TEST(contains(opt, "sgd convergence"));
    BOOST_TEST(int(line_no(c, 9).kind) == int(line_kind::topic_filter));
    BOOST_TEST(line_no(c, 9).text == "wrapped bullet text continues here");
    BOOST_TEST(int(line_no(c, 13).kind) == int(line_kind::keywords_relevant));
    BOOST_TEST(int(line_no(c, 14).kind) == int(line_kind::keywords_application));
    for (const auto& l : c.lines)
        BOOST_TEST(l.text.find('\r') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(gpt_paper_assistant_style) {
    // Topics indented by one space, "Not relevant" labels, closing prose paragraph.
    const std::string text =
        " 1. New methodological improvements to RLHF or instruction-following\n"
        "    - Relevant: papers on reward modelling or preference optimisation.\n"
        "    - Not relevant: papers about adaptation to a specific domain.\n"
        " 2. Surprising empirical results about language models\n"
        "    - Relevant: scaling laws, emergent behaviour\n"
        "\n"
        " In suggesting papers, remember that your friend likes statistics.\n";
    const auto c = parse_ok(text);
    BOOST_TEST_REQUIRE(c.topics.size() == 2u);
    BOOST_TEST(c.topics[1].name == "Surprising empirical results about language models");
    BOOST_TEST(contains(texts(line_no(c, 5)), "scaling laws"));
    BOOST_TEST(int(line_no(c, 3).kind) == int(line_kind::topic_irrelevant));
}

BOOST_AUTO_TEST_CASE(labels_written_as_lines) {
    const std::string text = "1. Vision\n"
                             "Relevant:\n"
                             "- self-supervised pretraining\n"
                             "**Keywords:**\n"
                             "Irrelevant:\n"
                             "- Robotics\n";
    const auto c = parse_ok(text);
    BOOST_TEST(int(line_no(c, 3).kind) == int(line_kind::topic_relevant));
    BOOST_TEST(int(line_no(c, 6).kind) == int(line_kind::keywords_irrelevant));
}

BOOST_AUTO_TEST_CASE(errors_name_their_line) {
    auto e = parse_error("Just some prose.\nNo topics at all.\n");
    BOOST_TEST(e.line_no == 0u);
    BOOST_TEST(e.what().find("no topics") != std::string::npos);

    e = parse_error("1. Vision\n   - Relevant: detection\n2.\n   - Relevant: x\n");
    BOOST_TEST(e.line_no == 3u);
    BOOST_TEST(e.what() == "line 3: topic 2 has no name");

    e = parse_error("1. Vision\n   - Relevant: detection\n2. Audio\n   - Irrelevant: music\n");
    BOOST_TEST(e.line_no == 3u);
    BOOST_TEST(e.message.find("no Relevant") != std::string::npos);

    e = parse_error("Intro\n- a stray bullet\n1. Vision\n   - Relevant: detection\n");
    BOOST_TEST(e.line_no == 2u);
    BOOST_TEST(e.message.find("outside") != std::string::npos);

    e = parse_error("1. Vision\n - Relevant: a\n2. vision\n - Relevant: b\n");
    BOOST_TEST(e.line_no == 3u);
    BOOST_TEST(e.message.find("duplicate") != std::string::npos);

    e = parse_error("1. Vision\n - Relevant: a\n - Irrelevant: b \xFF\xFE\n");
    BOOST_TEST(e.line_no == 3u);
    BOOST_TEST(e.message.find("UTF-8") != std::string::npos);

    e = parse_error("1. Vision\n - Relevant: a\n\nKeywords:\n- Transformers, MoE\n");
    BOOST_TEST(e.line_no == 5u);

    e = parse_error("1. Vision\n - Relevant: a\n - Irrelevant: \xED\xA0\x80 surrogate\n");
    BOOST_TEST(e.line_no == 3u);
}

BOOST_AUTO_TEST_CASE(edits_change_result_and_version) {
    const auto base = parse_ok(seed);
    // A sixth topic.
    auto with_topic = seed;
    const auto kw = with_topic.find("**Keywords:**");
    BOOST_TEST_REQUIRE(kw != std::string::npos);
    with_topic.insert(kw, "6. Optimization Theory\n   - Relevant: convergence rates, "
                          "implicit bias of SGD.\n\n");
    const auto c6 = parse_ok(with_topic);
    BOOST_TEST(c6.topics.size() == 6u);
    BOOST_TEST(c6.topics[5].name == "Optimization Theory");
    BOOST_TEST(c6.version != base.version);
    // A new Application keyword.
    auto with_kw = seed;
    const auto etc = with_kw.rfind("Knowledge Graph, etc.");
    BOOST_TEST_REQUIRE(etc != std::string::npos);
    with_kw.insert(etc, "Protein Folding, ");
    const auto ck = parse_ok(with_kw);
    BOOST_TEST(ck.version != base.version);
    const auto& app = ck.lines.back();
    BOOST_TEST(int(app.kind) == int(line_kind::keywords_application));
    BOOST_TEST(contains(texts(app), "protein folding"));
    BOOST_TEST(!contains(texts(base.lines.back()), "protein folding"));
    // Same bytes, same version.
    BOOST_TEST(parse_ok(seed).version == base.version);
}

BOOST_AUTO_TEST_CASE(hostile_input_never_crashes) {
    const std::string cases[] = {"",
                                 "\n\n\n",
                                 "1. (((((((((((((((((((((((((((((((\n - Relevant: ((((((((((((",
                                 "1. a\n - Relevant: a/b/c/d/e/f g/h/i/j k/l/m/n o/p/q/r s/t\n",
                                 "1. a\n - Relevant: )))) ,,,, ;;;; ...., (MoE) (AB)\n",
                                 std::string(1, '\0') + "1. x\n - Relevant: \0y"};
    for (const auto& t : cases) {
        auto r = parse_criteria(t);
        if (r)
            for (const auto& l : r->lines)
                for (const auto& p : l.phrases)
                    BOOST_TEST(!p.aliases.empty());
    }
    const auto c = parse_ok("1. a\n - Relevant: a/b/c/d/e/f g/h/i/j k/l/m/n\n");
    BOOST_TEST(c.lines.front().phrases.size() <= 8u);
}

BOOST_AUTO_TEST_CASE(numbers_and_joined_names) {
    const auto c = parse_ok("1. Sparse Models\n"
                            " - Relevant: e.g., 2:4 sparsity, end to end pruning, 3D vision\n"
                            " - Irrelevant: one device\n");
    const auto l = texts(c.lines.front());
    BOOST_TEST(contains(l, "2:4 sparsity"));
    BOOST_TEST(!contains(l, "2"));
    BOOST_TEST(contains(l, "3d vision"));
    const auto* sota = find_phrase(c.lines.front(), "end to end pruning");
    BOOST_TEST_REQUIRE(sota);
    BOOST_TEST(has_alias(*sota, "end-to-end pruning"));
    BOOST_TEST(contains(texts(c.lines.back()), "device"));
}
