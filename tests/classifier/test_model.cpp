// The model file format (parse / serialize), train_head on synthetic data, and metrics.
#define BOOST_TEST_MODULE model
#include "classifier/embedded.hpp"
#include "classifier/metrics.hpp"
#include "classifier/model.hpp"
#include "classifier/trainer.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

using namespace sieve;

namespace {

model sample_model() {
    model m;
    m.hash_bits = 8;
    m.params = {{"meta_text_weight", 6}, {"topic_text_weight", 0.25}};
    linear_head a;
    a.name = "relevance";
    a.bias = -1.5;
    a.threshold = 0.35;
    a.weights.assign(256, 0.0f);
    a.weights[0] = 0.5f;
    a.weights[17] = -2.25f;
    a.weights[255] = 1e-3f;
    linear_head b;
    b.name = "topic:Model Compression and Efficiency";
    b.bias = 0.125;
    b.threshold = 0.5;
    b.weights.assign(256, 0.0f);
    b.weights[3] = 3.0f;
    m.heads = {a, b};
    return m;
}

std::string error_of(std::string_view text) {
    auto r = parse_model(text);
    BOOST_TEST_REQUIRE(!r.has_value());
    return r.error();
}

sparse_vector vec(std::vector<std::uint32_t> idx, std::vector<float> val) {
    return {std::move(idx), std::move(val)};
}

// Separable: feature 1 marks positives, feature 2 negatives, feature 3 is in every example.
struct toy_problem {
    std::vector<sparse_vector> xs;
    std::vector<int> ys;
    explicit toy_problem(bool negative_first) {
        for (int i = 0; i < 20; ++i) {
            const bool pos = (i % 2 == 0) != negative_first;
            const auto noise = static_cast<std::uint32_t>(10 + i % 5);
            xs.push_back(pos ? vec({1, 3, noise}, {1, 1, 0.5f}) : vec({2, 3, noise}, {1, 1, 0.5f}));
            ys.push_back(pos ? 1 : 0);
        }
    }
    std::vector<const sparse_vector*> ptrs() const {
        std::vector<const sparse_vector*> out;
        for (const auto& x : xs)
            out.push_back(&x);
        return out;
    }
};

// Equal weights, where a missing trailing entry counts as zero (parse_model trims trailing zeros).
bool same_weights(const weight_vector& a, const weight_vector& b) {
    for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i)
        if ((i < a.size() ? a[i] : 0.0f) != (i < b.size() ? b[i] : 0.0f))
            return false;
    return true;
}

} // namespace

BOOST_AUTO_TEST_CASE(serialize_parse_round_trip) {
    const model m = sample_model();
    const std::string text = serialize_model(m);
    BOOST_TEST(text.starts_with("sieve-model 1\nversion "));
    auto p = parse_model(text);
    BOOST_TEST_REQUIRE(p.has_value(), (p ? "" : p.error()));
    BOOST_TEST(p->hash_bits == m.hash_bits);
    BOOST_TEST(p->version.size() == 16u);
    BOOST_TEST(text.substr(22, 16) == p->version);
    BOOST_TEST_REQUIRE(p->params.size() == m.params.size());
    for (std::size_t i = 0; i < m.params.size(); ++i) {
        BOOST_TEST(p->params[i].first == m.params[i].first);
        BOOST_TEST(p->params[i].second == m.params[i].second);
    }
    BOOST_TEST_REQUIRE(p->heads.size() == m.heads.size());
    for (std::size_t i = 0; i < m.heads.size(); ++i) {
        BOOST_TEST(p->heads[i].name == m.heads[i].name);
        BOOST_TEST(p->heads[i].bias == m.heads[i].bias);
        BOOST_TEST(p->heads[i].threshold == m.heads[i].threshold);
        BOOST_TEST(same_weights(p->heads[i].weights, m.heads[i].weights));
    }
    BOOST_TEST(serialize_model(*p) == text);
    BOOST_TEST(p->head("relevance") != nullptr);
    BOOST_TEST(p->head("nope") == nullptr);
    BOOST_TEST(p->param("topic_text_weight", 9) == 0.25);
    BOOST_TEST(p->param("absent", 9) == 9.0);
}

BOOST_AUTO_TEST_CASE(round_trip_of_arbitrary_values_is_stable) {
    std::mt19937 rng(7);
    std::normal_distribution<double> d(0, 3);
    model m = sample_model();
    for (auto& h : m.heads) {
        h.bias = d(rng);
        for (auto& w : h.weights)
            w = rng() % 3 == 0 ? static_cast<float>(d(rng)) : 0.0f;
    }
    const std::string text = serialize_model(m);
    auto p = parse_model(text);
    BOOST_TEST_REQUIRE(p.has_value());
    for (std::size_t i = 0; i < m.heads.size(); ++i) // floats survive %.9g exactly
        BOOST_TEST(same_weights(p->heads[i].weights, m.heads[i].weights));
    BOOST_TEST(serialize_model(*p) == text);
    // The version is a hash of the body: a change of one weight changes it.
    m.heads[0].weights[5] += 1.0f;
    BOOST_TEST(serialize_model(m).substr(22, 16) != text.substr(22, 16));
}

BOOST_AUTO_TEST_CASE(embedded_model_parses_and_round_trips) {
    auto p = parse_model(embedded_model_text());
    BOOST_TEST_REQUIRE(p.has_value(), (p ? "" : p.error()));
    BOOST_TEST(p->head("relevance") != nullptr);
    BOOST_TEST(serialize_model(*p) == embedded_model_text());
}

BOOST_AUTO_TEST_CASE(parse_errors_name_the_line) {
    BOOST_TEST(error_of("").starts_with("model line "));
    BOOST_TEST(error_of("not a model\n") == "model line 1: not a sieve model file");
    BOOST_TEST(error_of("sieve-model 1\nhash_bits 8\n").starts_with("model line 2:"));
    BOOST_TEST(error_of("sieve-model 1\nversion x\nhash_bits 99\n").starts_with("model line 3:"));
    BOOST_TEST(
        error_of("sieve-model 1\nversion x\nhash_bits eight\n").starts_with("model line 3:"));
    const std::string head = "sieve-model 1\nversion x\nhash_bits 8\nparam\tp\t1\n";
    BOOST_TEST(error_of(head + "param\tq\tnan?\n").starts_with("model line 5:"));
    BOOST_TEST(error_of(head + "head\tr\t0\t0.5\n").starts_with("model line 5:"));
    BOOST_TEST(error_of(head + "garbage\n").starts_with("model line 5:"));
    BOOST_TEST(error_of(head + "head\tr\t0\t0.5\t2\n1 0.5\noops\n") ==
               "model line 7: expected '<index> <weight>'");
    BOOST_TEST(error_of(head + "head\tr\t0\t0.5\t1\n256 0.5\n").starts_with("model line 6:"));
    BOOST_TEST(error_of(head + "head\tr\t0\t0.5\t1\n3 x\n").starts_with("model line 6:"));
    BOOST_TEST(error_of(head + "head\tr\t0\t0.5\t3\n1 0.5\n2 0.5\n").starts_with("model line "));
    auto ok = parse_model(head + "head\tr\t0\t0.5\t1\n3 0.5\n\n");
    BOOST_TEST_REQUIRE(ok.has_value());
    BOOST_TEST(ok->heads.at(0).weights.at(3) == 0.5f);
}

BOOST_AUTO_TEST_CASE(train_head_learns_the_signs) {
    for (bool negative_first : {false, true}) {
        BOOST_TEST_CONTEXT("negative_first " << negative_first) {
            const toy_problem t(negative_first);
            train_options opt;
            opt.c = 10;
            const linear_head h = train_head("toy", t.ptrs(), t.ys, {}, opt, 8);
            BOOST_TEST(h.name == "toy");
            BOOST_TEST(h.threshold == 0.5);
            BOOST_TEST_REQUIRE(h.weights.size() == 256u);
            BOOST_TEST(h.weights[1] > 0.5f);
            BOOST_TEST(h.weights[2] < -0.5f);
            BOOST_TEST(h.weights[100] == 0.0f);
            for (std::size_t i = 0; i < t.xs.size(); ++i)
                BOOST_TEST((h.probability(t.xs[i]) > 0.5) == (t.ys[i] == 1));
        }
    }
}

BOOST_AUTO_TEST_CASE(train_head_is_deterministic) {
    const toy_problem t(false);
    train_options opt;
    opt.c = 2;
    std::vector<int> copies(t.xs.size(), 1);
    copies[0] = 3;
    auto once = [&] {
        model m;
        m.hash_bits = 8;
        m.heads.push_back(train_head("toy", t.ptrs(), t.ys, copies, opt, 8));
        train_options l1 = opt;
        l1.l1 = true;
        m.heads.push_back(train_head("toy_l1", t.ptrs(), t.ys, copies, l1, 8));
        return serialize_model(m);
    };
    const std::string a = once(), b = once();
    BOOST_TEST(a == b);
}

BOOST_AUTO_TEST_CASE(train_head_one_class_or_empty) {
    const toy_problem t(false);
    std::vector<int> all_pos(t.ys.size(), 1), all_neg(t.ys.size(), 0);
    const auto pos = train_head("p", t.ptrs(), all_pos, {}, {}, 8);
    const auto neg = train_head("n", t.ptrs(), all_neg, {}, {}, 8);
    const auto none = train_head("e", {}, {}, {}, {}, 8);
    BOOST_TEST(pos.bias == 4.0);
    BOOST_TEST(neg.bias == -4.0);
    BOOST_TEST(none.bias == -4.0);
    for (const auto* h : {&pos, &neg, &none}) {
        BOOST_TEST(h->weights.size() == 256u);
        BOOST_TEST(std::count(h->weights.begin(), h->weights.end(), 0.0f) == 256);
    }
}

BOOST_AUTO_TEST_CASE(positive_weight_moves_the_boundary) {
    // Overlapping classes: the same feature for both; a heavier positive class raises the bias.
    std::vector<sparse_vector> xs(10, vec({1}, {1}));
    std::vector<int> ys = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0};
    std::vector<const sparse_vector*> ptrs;
    for (const auto& x : xs)
        ptrs.push_back(&x);
    train_options plain, heavy;
    heavy.positive_weight = 8;
    const auto a = train_head("a", ptrs, ys, {}, plain, 8);
    const auto b = train_head("b", ptrs, ys, {}, heavy, 8);
    BOOST_TEST(a.probability(xs[0]) < 0.5);
    BOOST_TEST(b.probability(xs[0]) > a.probability(xs[0]));
}

BOOST_AUTO_TEST_CASE(margin_ignores_out_of_range_indexes) {
    linear_head h;
    h.bias = 1;
    h.weights = {0.5f, 2.0f};
    BOOST_TEST(h.margin(vec({1, 7}, {3, 100})) == 7.0);
    BOOST_TEST(h.probability(vec({}, {})) == 1.0 / (1.0 + std::exp(-1.0)));
}

BOOST_AUTO_TEST_CASE(roc_auc_known_values) {
    const auto tol = boost::test_tools::tolerance(1e-12);
    BOOST_TEST(roc_auc({0.1, 0.4, 0.35, 0.8}, {false, false, true, true}) == 0.75, tol);
    BOOST_TEST(roc_auc({0.1, 0.2, 0.3, 0.4}, {false, false, true, true}) == 1.0, tol);
    BOOST_TEST(roc_auc({0.4, 0.3, 0.2, 0.1}, {false, false, true, true}) == 0.0, tol);
    // Ties count half.
    BOOST_TEST(roc_auc({0.5, 0.5}, {true, false}) == 0.5, tol);
    BOOST_TEST(roc_auc({0.2, 0.5, 0.5, 0.9}, {false, true, false, true}) == 0.875, tol);
    BOOST_TEST(roc_auc({0.7, 0.7, 0.7, 0.7}, {true, false, false, true}) == 0.5, tol);
    // One class missing.
    BOOST_TEST(roc_auc({0.1, 0.9}, {true, true}) == 0.5);
    BOOST_TEST(roc_auc({}, {}) == 0.5);
}

BOOST_AUTO_TEST_CASE(best_f1_threshold_known_values) {
    double f1 = -1;
    BOOST_TEST(best_f1_threshold({0.9, 0.8, 0.3, 0.1}, {true, true, false, false}, &f1) == 0.8);
    BOOST_TEST(f1 == 1.0);
    // Tied scores are one threshold: {0.9} F1 2/3, {0.9, 0.5, 0.5} F1 0.8, all F1 2/3.
    BOOST_TEST(best_f1_threshold({0.9, 0.5, 0.5, 0.1}, {true, true, false, false}, &f1) == 0.5);
    BOOST_TEST(f1 == 0.8, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(best_f1_threshold({0.1, 0.9}, {false, false}, &f1) == 1.0); // no positives
    BOOST_TEST(f1 == 0.0);
    BOOST_TEST(best_f1_threshold({0.2, 0.6}, {true, false}, nullptr) == 0.2);
}

BOOST_AUTO_TEST_CASE(binary_counts_and_confusion) {
    binary_counts c;
    BOOST_TEST(c.precision() == 0.0);
    BOOST_TEST(c.recall() == 0.0);
    BOOST_TEST(c.f1() == 0.0);
    c.add(true, true);
    c.add(true, true);
    c.add(true, false);
    c.add(false, true);
    c.add(false, false);
    BOOST_TEST(c.tp == 2u);
    BOOST_TEST(c.fp == 1u);
    BOOST_TEST(c.fn == 1u);
    BOOST_TEST(c.tn == 1u);
    const auto tol = boost::test_tools::tolerance(1e-12);
    BOOST_TEST(c.precision() == 2.0 / 3.0, tol);
    BOOST_TEST(c.recall() == 2.0 / 3.0, tol);
    BOOST_TEST(c.f1() == 2.0 / 3.0, tol);

    confusion m;
    BOOST_TEST(m.accuracy() == 0.0);
    m.add(0, 0);
    m.add(1, 1);
    m.add(2, 2);
    m.add(2, 0);
    BOOST_TEST(m.m[2][0] == 1u);
    BOOST_TEST(m.m[0][2] == 0u);
    BOOST_TEST(m.accuracy() == 0.75, tol);
}
