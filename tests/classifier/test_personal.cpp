// The personal layer (classifier/personal.hpp): agreeing corrections move the verdict toward
// them, disagreeing ones and single ones do not, the empty layer is the shipped model, the text form round-trips and refuses
// damage, and the real classifier applies a layer learned from its own papers.
#define BOOST_TEST_MODULE personal
#include "classifier/classifier.hpp"
#include "classifier/personal.hpp"
#include "classifier/personal_simulation.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
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

BOOST_AUTO_TEST_CASE(agreeing_corrections_move_a_feature_one_does_not) {
    // Papers with feature 7 (value 1.75, as a criteria phrase) are relevant to this user; the
    // shipped model is confident they are not. Each paper also has a feature of its own.
    auto paper = [](std::uint32_t own) {
        auto in = input({7, own}, -4.0, -3.0);
        in.z.value = {1.75f, 1.75f};
        return in;
    };
    std::vector<personal_example> ex;
    for (std::uint32_t k = 0; k < 40; ++k) ex.push_back({paper(100 + k), verdict::relevant, 1.0});
    auto few = train_personal({ex.begin(), ex.begin() + 5});
    auto many = train_personal(ex);
    auto unseen = paper(999);
    // Five agreeing corrections are not enough to move a feature (l1), forty are.
    BOOST_TEST(personal_deltas(few, unseen.z).first == 0.0);
    BOOST_TEST(personal_deltas(many, unseen.z).first > 4.0);
    BOOST_TEST(int(personal_verdict(many, unseen)) == int(verdict::relevant));
    // A paper without feature 7 does not move; nor do the corrections' own features.
    BOOST_TEST(std::abs(personal_deltas(many, input({5}, 0, 0).z).first) < 1e-9);
    BOOST_TEST(std::abs(personal_deltas(many, input({100}, 0, 0).z).first) < 1e-9);
    BOOST_TEST(many.name().starts_with("personal 40 corrections "));
    BOOST_TEST(personal_agreement(ex) > 0.9);
    // Without l1 (the pure L2 layer) a single correction moves it a little.
    personal_options l2;
    l2.l1 = 0;
    BOOST_TEST(personal_deltas(train_personal({ex.front()}, l2), unseen.z).first > 0.0);
}

BOOST_AUTO_TEST_CASE(disagreeing_corrections_leave_a_feature_alone) {
    // The model's own errors on a common feature go both ways: 6 up, 4 down.
    std::vector<personal_example> ex;
    for (std::uint32_t k = 0; k < 10; ++k) {
        auto in = input({9, 200 + k}, k < 6 ? -1.0 : 1.0, -1.0);
        ex.push_back({in, k < 6 ? verdict::relevant : verdict::irrelevant, 1.0});
    }
    auto other = input({9, 999}, -0.5, -1.0);
    BOOST_TEST(personal_deltas(train_personal(ex), other.z).first == 0.0);
    personal_options l2;
    l2.l1 = 0;
    l2.margin_cost = 0;
    BOOST_TEST(personal_deltas(train_personal(ex, l2), other.z).first > 0.0); // L2 alone moves it
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
    // A layer of another format (learned over other features) is refused: learned again.
    std::string old = text;
    old.replace(0, old.find('\n'), "sieve-personal 1");
    BOOST_TEST(text.starts_with("sieve-personal 3\n"));
    BOOST_TEST(!parse_personal(old).has_value());
}

BOOST_AUTO_TEST_CASE(a_corrected_paper_gets_its_correction) {
    // One correction moves no feature, but the corrected paper itself gets the user's verdict
    // (its newest correction), in the text form too; another paper is untouched.
    auto in = input({7, 8}, -4.0, -3.0);
    in.paper_key = personal_paper_key(" A title ", "An abstract.");
    BOOST_TEST(in.paper_key == personal_paper_key("A title", "An abstract.\n"));
    BOOST_TEST(in.paper_key != personal_paper_key("A title", "Another abstract."));
    auto other = input({7, 8}, -4.0, -3.0);
    other.paper_key = personal_paper_key("Another title", "An abstract.");
    auto l = train_personal({{in, verdict::application, 1.0}, {in, verdict::relevant, 1.0}});
    BOOST_TEST(int(personal_verdict(l, in)) == int(verdict::relevant));
    BOOST_TEST(int(personal_verdict(l, other)) == int(verdict::irrelevant));
    auto back = parse_personal(serialize_personal(l));
    BOOST_TEST_REQUIRE(back.has_value());
    BOOST_TEST(int(personal_verdict(*back, in)) == int(verdict::relevant));
    BOOST_TEST(back->hash == l.hash);
    auto l2 = train_personal({{in, verdict::application, 1.0}});
    BOOST_TEST(l2.hash != l.hash); // what is remembered is part of the name
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
    // One correction is enough for the corrected paper itself (remembered), not for another.
    auto one = train_personal({personal_example{in, want, 1.0}}, o);
    BOOST_TEST(int(cl.judge(p, &one).label) == int(want));
    paper q = p;
    q.abstract += " We also study a second robot.";
    BOOST_TEST(int(cl.judge(q, &one).label) == int(cl.judge(q).label));
}

BOOST_AUTO_TEST_CASE(corrections_with_topics_move_a_topic_head) {
    // Forty papers sharing feature 5, Sieve sure they are not "Representation" and are
    // "Systems"; the user tags them with the first and never with the second.
    auto paper = [](std::uint32_t own) {
        auto in = input({5, own}, -1.0, -1.0);
        in.z.value = {1.75f, 1.75f};
        return in;
    };
    std::vector<personal_example> ex;
    for (std::uint32_t k = 0; k < 40; ++k) {
        personal_example e{paper(100 + k), verdict::irrelevant, 1.0};
        e.in.topic_margins = {{"Representation", -4.0}, {"Systems", 4.0}};
        e.topics = {"Representation"};
        e.topics_known = true;
        ex.push_back(e);
    }
    auto l = train_personal(ex);
    BOOST_TEST_REQUIRE(l.topics.size() == 2u);
    BOOST_TEST(l.topics[0].first == "Representation");
    const auto z = paper(999).z; // an unseen paper with the shared feature
    BOOST_TEST(-4.0 + l.topic_delta("Representation", z) > 0.0);
    BOOST_TEST(4.0 + l.topic_delta("Systems", z) < 0.0);
    BOOST_TEST(l.topic_delta("Architecture", z) == 0.0);
    BOOST_TEST(l.topic_delta("Representation", input({6}, 0, 0).z) == 0.0);
    // Round trip, and the name covers the topic heads.
    const auto text = serialize_personal(l);
    BOOST_TEST(text.find("\ntopics 2\ntopic ") != std::string::npos);
    auto back = parse_personal(text);
    BOOST_TEST_REQUIRE(back.has_value());
    BOOST_TEST(serialize_personal(*back) == text);
    BOOST_TEST(back->hash == l.hash);
    for (auto& e : ex) e.topics_known = false; // verdict-only corrections: no topic head
    auto plain = train_personal(ex);
    BOOST_TEST(plain.topics.empty());
    BOOST_TEST(plain.hash != l.hash);
}

BOOST_AUTO_TEST_CASE(classifier_applies_the_topic_heads) {
    auto cl = classifier::create_default();
    std::vector<personal_example> ex;
    paper probe;
    for (int k = 0; k < 30; ++k) {
        paper p;
        p.title = "Contrastive pretraining of sparse autoencoders, variant " + std::to_string(k);
        p.abstract = "We learn dictionary features with sparse autoencoders and contrastive losses "
                     "on image patches; run " + std::to_string(k) + ".";
        if (k == 0) probe = p;
        personal_example e{cl.inspect(p, {}), verdict::relevant, 1.0};
        e.topics = {"High Performance Computing"}; // this user files them under HPC
        e.topics_known = true;
        ex.push_back(e);
    }
    auto hpc = [](const judgment& j) {
        return std::find(j.topics.begin(), j.topics.end(), "High Performance Computing") !=
               j.topics.end();
    };
    BOOST_TEST(!hpc(cl.judge(probe)));
    auto l = train_personal(ex);
    probe.abstract += " A new run.";
    BOOST_TEST(hpc(cl.judge(probe, &l)));
}

BOOST_AUTO_TEST_CASE(simulation_counts_corrections_and_unseen) {
    simulated_user u;
    for (std::uint32_t k = 0; k < 200; ++k) {
        u.in.push_back(input({k % 2 ? 7u : 8u, 1000 + k}, -1.0, -1.0));
        u.wants.push_back(k % 2 ? verdict::relevant : verdict::irrelevant);
        u.shifted.push_back(k % 2);
    }
    personal_options o; // the pure L2 layer: three corrections are enough here
    o.idf = false; // feature 7 is in every correction: idf would weigh it least
    o.l1 = 0;
    o.margin_cost = 0;
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
