// The personal layer (classifier/personal.hpp): training moves the verdict toward the
// corrections, the empty layer is the shipped model, the text form round-trips and refuses
// damage, and the real classifier applies a layer learned from its own papers.
#define BOOST_TEST_MODULE personal
#include "classifier/classifier.hpp"
#include "classifier/personal.hpp"
#include "classifier/personal_simulation.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace sieve;

namespace {

personal_input input(std::vector<std::uint32_t> idx, double rel, double app) {
    personal_input in;
    for (auto i : idx) {
        in.z.index.push_back(i);
        in.z.value.push_back(1.0f);
    }
    in.relevant_margin = rel;
    in.application_margin = app;
    in.shipped = rel >= 0 ? verdict::relevant : app >= 0 ? verdict::application
                                                         : verdict::irrelevant;
    return in;
}

} // namespace

BOOST_AUTO_TEST_CASE(empty_layer_is_the_shipped_model) {
    personal_layer l = train_personal({});
    BOOST_TEST(l.empty());
    BOOST_TEST(l.name() == "");
    auto in = input({3, 9}, -0.5, 0.2);
    BOOST_TEST(int(personal_verdict(l, in)) == int(verdict::application));
}

BOOST_AUTO_TEST_CASE(more_corrections_move_further) {
    // Papers with feature 7 are relevant to this user; the shipped model says irrelevant.
    std::vector<personal_example> ex;
    for (std::uint32_t k = 0; k < 20; ++k)
        ex.push_back({input({7, 100 + k}, -1.5, -1.0), verdict::relevant, 1.0});
    auto few = train_personal({ex.begin(), ex.begin() + 1});
    auto many = train_personal(ex);
    auto unseen = input({7, 999}, -1.5, -1.0);
    const double d1 = personal_deltas(few, unseen.z).first;
    const double d20 = personal_deltas(many, unseen.z).first;
    BOOST_TEST(d1 > 0.0);
    BOOST_TEST(d20 > d1);
    BOOST_TEST(int(personal_verdict(many, unseen)) == int(verdict::relevant));
    // A paper without feature 7 barely moves.
    BOOST_TEST(std::abs(personal_deltas(many, input({5}, 0, 0).z).first) < 1e-9);
    BOOST_TEST(many.name().starts_with("personal 20 corrections "));
    BOOST_TEST(personal_agreement(ex) > 0.9);
}

BOOST_AUTO_TEST_CASE(training_is_deterministic_and_round_trips) {
    std::vector<personal_example> ex{{input({1, 2}, 1.0, 0.0), verdict::irrelevant, 1.0},
                                     {input({2, 3}, -1.0, 1.0), verdict::irrelevant, 1.0},
                                     {input({4}, -1.0, -1.0), verdict::application, 1.0}};
    auto a = train_personal(ex), b = train_personal(ex);
    const std::string text = serialize_personal(a);
    BOOST_TEST(text == serialize_personal(b));
    auto back = parse_personal(text);
    BOOST_TEST_REQUIRE(back.has_value());
    BOOST_TEST(serialize_personal(*back) == text);
    BOOST_TEST(back->hash == a.hash); // the name survives the text form
    BOOST_TEST(back->corrections == 3u);
    std::string damaged = text;
    damaged[damaged.size() - 3] = damaged[damaged.size() - 3] == '1' ? '2' : '1';
    BOOST_TEST(!parse_personal(damaged).has_value());
    BOOST_TEST(!parse_personal(text.substr(0, text.size() - 2)).has_value());
    BOOST_TEST(!parse_personal("").has_value());
}

BOOST_AUTO_TEST_CASE(classifier_applies_the_layer) {
    auto cl = classifier::create_default();
    paper p;
    p.id = "x";
    p.title = "Deep reinforcement learning for robot locomotion with reward shaping";
    p.abstract = "We train a policy with proximal policy optimization and a shaped reward for "
                 "legged robots, and study sample efficiency of reinforcement learning agents.";
    personal_options o;
    auto in = cl.inspect(p, o);
    const auto shipped = cl.judge(p);
    BOOST_TEST(int(in.shipped) == int(shipped.label));
    verdict want = shipped.label == verdict::relevant ? verdict::irrelevant : verdict::relevant;
    std::vector<personal_example> ex(30, personal_example{in, want, 1.0});
    auto l = train_personal(ex, o);
    auto j = cl.judge(p, &l);
    BOOST_TEST(int(j.label) == int(want));
    BOOST_TEST(j.judge == shipped.judge + " + " + l.name());
    BOOST_TEST(cl.judge(p, nullptr).judge == shipped.judge);
}

BOOST_AUTO_TEST_CASE(simulation_counts_corrections_and_unseen) {
    simulated_user u;
    for (std::uint32_t k = 0; k < 200; ++k) {
        u.in.push_back(input({k % 2 ? 7u : 8u, 1000 + k}, -1.0, -1.0));
        u.wants.push_back(k % 2 ? verdict::relevant : verdict::irrelevant);
        u.shifted.push_back(k % 2);
    }
    personal_options o;
    o.idf = false; // feature 7 is in every correction: idf would weigh it least
    auto pts = simulate_user(u, {0, 3, 1000}, 3, o);
    BOOST_TEST_REQUIRE(pts.size() == 3u);
    BOOST_TEST(pts[0].corrections == 0u);
    BOOST_TEST(pts[0].unseen == 200u);
    BOOST_TEST(pts[0].shifted == 0.0);
    BOOST_TEST(pts[0].shipped_unshifted == 1.0);
    BOOST_TEST(pts[1].corrections == 3u);
    BOOST_TEST(pts[1].unseen + pts[1].seen == 200u);
    BOOST_TEST(pts[1].shifted > 0.9);
    BOOST_TEST(pts[1].unshifted == 1.0);
    BOOST_TEST(pts[2].unseen == 0u); // the stream ran out before 1000 corrections
    BOOST_TEST(pts[2].corrections < 1000u);
}
