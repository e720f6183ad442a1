// `sieve eval` and `sieve train` as a user runs them ($SIEVE_BIN), on $SIEVE_SHARED's corpus.
#define BOOST_TEST_MODULE cmd_eval_train
#include "classifier/model.hpp"
#include "tests/support/cli_test_util.hpp"
#include "tests/support/fake_llm_server.hpp"

#include <cmath>
#include <regex>

using namespace sieve_test;

namespace {

fs::path corpus(const char* name) {
    return shared_dir() / "corpus" / name;
}

// The first n lines of train.jsonl in dir/train-small.jsonl.
fs::path small_training_file(const temp_dir& tmp, std::size_t n) {
    std::ifstream in(corpus("train.jsonl"));
    std::string text, line;
    for (std::size_t i = 0; i < n && std::getline(in, line); ++i)
        text += line + "\n";
    const fs::path p = tmp / "train-small.jsonl";
    write_file(p, text);
    return p;
}

double number_after(const std::string& text, const std::string& label) {
    std::smatch m;
    const std::regex re(label + " ([0-9.]+)");
    BOOST_TEST_REQUIRE(std::regex_search(text, m, re), label << " not in " << text);
    return std::stod(m[1]);
}

} // namespace

BOOST_AUTO_TEST_CASE(eval_on_validation_reports_f1_and_auc) {
    temp_dir tmp;
    const run_result r =
        run_sieve(tmp, "eval --input " + quoted(corpus("validation.jsonl").string()));
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    BOOST_TEST(r.out.find("papers: 5201") != std::string::npos, r.out);
    const double f1 = number_after(r.out, "F1"), auc = number_after(r.out, "ROC AUC");
    BOOST_TEST_MESSAGE("validation: F1 " << f1 << ", ROC AUC " << auc);
    BOOST_TEST((f1 > 0.3 && f1 <= 1.0));
    BOOST_TEST((auc > 0.7 && auc <= 1.0));
    BOOST_TEST(r.out.find("topic macro F1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(eval_on_judged_reports_three_way_accuracy) {
    temp_dir tmp;
    const fs::path pred = tmp / "pred.jsonl";
    const run_result r = run_sieve(tmp, "eval --input " + quoted(corpus("judged.jsonl").string()) +
                                            " --predictions " + quoted(pred.string()));
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    BOOST_TEST(r.out.find("against agreed \"verdict\"") != std::string::npos, r.out);
    const double acc = number_after(r.out, "3-way accuracy \\(agreed verdicts\\):");
    BOOST_TEST((acc > 0.3 && acc <= 1.0));
    BOOST_TEST(file_lines(pred).size() == file_lines(corpus("judged.jsonl")).size());
}

// --llm-model: the stand-in LLM calls every paper it is sent irrelevant; eval scores its answers.
BOOST_AUTO_TEST_CASE(eval_scores_the_llm_judge) {
    using namespace sieve::test;
    fake_llm_server llm([](const fake_llm_request& r, int) {
        return fake_llm_reply{200, chat_response(answer_papers(r, "irrelevant", "ML Systems")), {},
                              {}};
    });
    temp_dir tmp;
    const fs::path pred = tmp / "pred.jsonl";
    const std::string input = "eval --input " + quoted(corpus("judged.jsonl").string()) +
                              " --llm-model fake --llm-url " + llm.url();
    const run_result r = run_sieve(tmp, input + " --llm-mode llm --llm-concurrency 4" +
                                            " --predictions " + quoted(pred.string()));
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    BOOST_TEST(r.out.find("LLM judge fake (LLM): 400 of 400 papers sent, 400 judged by the LLM, "
                          "0 kept the local judgment") != std::string::npos, r.out);
    // Agreed verdicts: 102 of 372 are irrelevant.
    BOOST_TEST(number_after(r.out, "3-way accuracy \\(agreed verdicts\\):") ==
               std::round(1000.0 * 102 / 372) / 1000);
    for (const auto& line : file_lines(pred))
        BOOST_TEST(line.find("\"verdict\":\"irrelevant\"") != std::string::npos, line);

    // Hybrid: only the papers the local model is unsure of; the LLM's answers are cached.
    const run_result h = run_sieve(tmp, input + " --state-dir " + quoted((tmp / "state").string()));
    BOOST_TEST_REQUIRE(h.code == 0, h.err);
    std::smatch m;
    const std::string out = h.out;
    BOOST_TEST_REQUIRE(std::regex_search(out, m, std::regex("([0-9]+) of 400 papers sent")), out);
    const int sent = std::stoi(m[1]);
    BOOST_TEST((sent > 0 && sent < 400));
    const int calls = llm.calls();
    const run_result again = run_sieve(tmp, input + " --state-dir " + quoted((tmp / "state").string()));
    BOOST_TEST(again.out == h.out);
    BOOST_TEST(llm.calls() == calls); // all from the cache

    BOOST_TEST(run_sieve(tmp, input + " --cv 5 --train " + quoted(corpus("judged.jsonl").string()))
                   .code == 2);
    BOOST_TEST(run_sieve(tmp, "eval --input " + quoted(corpus("judged.jsonl").string()) +
                                  " --llm-mode llm").code == 2); // no model
}

BOOST_AUTO_TEST_CASE(eval_and_train_usage_errors) {
    temp_dir tmp;
    BOOST_TEST(run_sieve(tmp, "eval").code == 2);
    BOOST_TEST(run_sieve(tmp, "eval --input " + quoted((tmp / "absent.jsonl").string())).code == 2);
    write_file(tmp / "bad.jsonl", "{\"title\":\"x\"}\nnot json\n");
    const run_result bad = run_sieve(tmp, "eval --input " + quoted((tmp / "bad.jsonl").string()));
    BOOST_TEST(bad.code == 2);
    BOOST_TEST(bad.err.find("2") != std::string::npos, bad.err); // names the line
    BOOST_TEST(run_sieve(tmp, "train --out " + quoted((tmp / "m.txt").string())).code == 2);
    BOOST_TEST(run_sieve(tmp, "train --input " + quoted(corpus("judged.jsonl").string()) +
                                  " --out " + quoted((tmp / "m.txt").string()) +
                                  " --set no_such_option=1")
                   .code == 2);
    BOOST_TEST(!fs::exists(tmp / "m.txt"));
}

BOOST_AUTO_TEST_CASE(train_on_a_subset_is_reproducible) {
    temp_dir tmp;
    const fs::path small = small_training_file(tmp, 2000);
    const std::string inputs =
        "--input " + quoted(small.string()) + " --input " + quoted(corpus("judged.jsonl").string());
    const fs::path a = tmp / "a.txt", b = tmp / "b.txt";
    const run_result ra = run_sieve(tmp, "train " + inputs + " --out " + quoted(a.string()));
    BOOST_TEST_REQUIRE(ra.code == 0, ra.err);
    BOOST_TEST(ra.out.find("trained on") != std::string::npos);
    const run_result rb = run_sieve(tmp, "train " + inputs + " --out " + quoted(b.string()));
    BOOST_TEST_REQUIRE(rb.code == 0, rb.err);
    const std::string text = file_bytes(a);
    BOOST_TEST(text == file_bytes(b)); // byte for byte
    auto m = sieve::parse_model(text);
    BOOST_TEST_REQUIRE(m.has_value(), (m ? "" : m.error()));
    BOOST_TEST(sieve::serialize_model(*m) == text);
    BOOST_TEST(m->head("relevance") != nullptr);
    BOOST_TEST(m->head("meta:relevant") != nullptr);
    BOOST_TEST(m->head("meta:application") != nullptr);
    BOOST_TEST(ra.out.find(m->version) != std::string::npos, ra.out);

    // The trained model is usable by eval and classify.
    const run_result e = run_sieve(tmp, "eval --input " + quoted(corpus("judged.jsonl").string()) +
                                            " --model " + quoted(a.string()));
    BOOST_TEST(e.code == 0, e.err);
    BOOST_TEST(e.out.find("model " + m->version) != std::string::npos, e.out);
    write_file(tmp / "one.jsonl", "{\"id\":\"p\",\"title\":\"Pruning transformers\",\"abstract\":"
                                  "\"We prune attention heads of transformer models.\"}\n");
    const run_result c = run_sieve(tmp, "classify --input " + quoted((tmp / "one.jsonl").string()) +
                                            " --model " + quoted(a.string()));
    BOOST_TEST(c.code == 0, c.err);
    BOOST_TEST(c.out.find("sieve-local " + m->version) != std::string::npos, c.out);
}

// --cv over two seed-exact files: a line per stratum, and the peers on the same folds.
BOOST_AUTO_TEST_CASE(cross_validation_per_stratum_and_peers) {
    temp_dir tmp;
    const fs::path small = small_training_file(tmp, 2000);
    std::ifstream in(corpus("judged-2.jsonl"));
    std::string text, line;
    for (int i = 0; i < 300 && std::getline(in, line); ++i) text += line + "\n";
    write_file(tmp / "j2.jsonl", text);
    const std::string inputs = "eval --input " + quoted(corpus("judged.jsonl").string()) +
                               " --input " + quoted((tmp / "j2.jsonl").string()) + " --cv 3";
    const run_result r = run_sieve(tmp, inputs + " --train " + quoted(small.string()) +
                                            " --stratum-weight random=10");
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    BOOST_TEST(r.out.find("3-fold cross-validation over 700 papers") != std::string::npos, r.out);
    for (const char* s : {"stratum judged ", "stratum wild ", "stratum pos ", "stratum random ",
                          "stratum hard ", "weighted by stratum: relevant F1"})
        BOOST_TEST(r.out.find(s) != std::string::npos, s << " not in " << r.out);
    const double acc = number_after(r.out, "3-way accuracy \\(agreed verdicts\\):");
    BOOST_TEST((acc > 0.4 && acc <= 1.0));
    for (const char* peer : {"keywords", "tfidf"}) {
        const run_result p = run_sieve(tmp, inputs + " --peer " + peer);
        BOOST_TEST_REQUIRE(p.code == 0, p.err);
        BOOST_TEST(p.out.find("peer " + std::string(peer)) != std::string::npos, p.out);
        BOOST_TEST(p.out.find("stratum wild ") != std::string::npos, p.out);
    }
    BOOST_TEST(run_sieve(tmp, inputs + " --peer nosuch").code == 2);
    BOOST_TEST(run_sieve(tmp, inputs + " --peer keywords --stratum-weight wild").code == 2);
}
