// contributions.hpp: n-gram occurrences behind the features, contributions that add up to the
// heads' margins, and phrases that stay within a clause and never rest on one word.
#define BOOST_TEST_MODULE contributions
#include "classifier/contributions.hpp"
#include "classifier/embedded.hpp"
#include "classifier/matcher.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <set>

using namespace sieve;

namespace {

const criteria& seed() {
    static const criteria c = parse_criteria(default_criteria_text()).value();
    return c;
}

const model& embedded() {
    static const model m = *parse_model(embedded_model_text());
    return m;
}

paper sample() {
    paper p;
    p.title = "Layered priors for coding of natural images";
    p.abstract = "We study how edges are stored, using wavelets and a new ensemble "
                 "estimator; results hold across seven public corpora.";
    return p;
}

} // namespace

BOOST_AUTO_TEST_CASE(origins_are_exactly_the_text_ngram_features) {
    const criteria_matcher m(seed());
    const analysed_paper a = analyse(sample(), m);
    const unsigned bits = embedded().hash_bits;
    std::vector<gram_origin> grams;
    const sparse_vector x = make_features(a, seed(), bits, &grams);
    BOOST_TEST(x.index == make_features(a, seed(), bits).index);
    std::set<std::uint32_t> from_origins;
    for (const auto& g : grams) {
        BOOST_TEST(g.first < g.last);
        BOOST_TEST(g.last <= (g.abstract ? a.abstract.size() : a.title.size()));
        from_origins.insert(g.index);
    }
    // The feature vector less its criteria-evidence features.
    std::set<std::uint32_t> expected;
    std::set<std::uint32_t> criteria_features = {feature_index("c:topics", "n", bits),
                                                 feature_index("c:noabs", "", bits)};
    for (const char* k : {"goal", "trel", "tirr", "tfil", "krel", "kirr", "kapp"})
        for (const char* f : {"title", "abstract"})
            criteria_features.insert(feature_index(std::string("c:") + k, f, bits));
    for (auto i : x.index)
        if (!criteria_features.count(i)) expected.insert(i);
    BOOST_TEST(from_origins == expected);
}

BOOST_AUTO_TEST_CASE(a_heads_contributions_add_up_to_its_text_margin) {
    const criteria_matcher m(seed());
    const paper p = sample();
    const analysed_paper a = analyse(p, m);
    BOOST_TEST_REQUIRE(a.title_matches.empty()); // no criteria features: text only
    BOOST_TEST_REQUIRE(a.abstract_matches.empty()); // and no word in both fields
    model mdl = embedded();
    const text_scorer sc(mdl, seed());
    std::vector<gram_origin> grams;
    const sparse_vector x = make_features(a, seed(), mdl.hash_bits, &grams);
    const text_scores ts = sc(x);
    const contributions w(grams, x, sc, {single_head(sc, "relevance")}, a.title.size(),
                          a.abstract.size());
    double total = w.span(0, false, 0, std::uint32_t(a.title.size())) +
                   w.span(0, true, 0, std::uint32_t(a.abstract.size()));
    double tokens = 0;
    for (bool abs : {false, true})
        for (float v : w.tokens(0, abs)) tokens += v;
    const double expected = ts.relevance - mdl.head("relevance")->bias;
    BOOST_TEST(std::abs(total - expected) < 1e-3);
    BOOST_TEST(std::abs(tokens - expected) < 1e-3);
    // A verdict head read through its stage-1 heads: its own text part is one of its terms.
    const head_mix v = verdict_mix(mdl, sc, "meta:relevant", ts, a, seed(), {"relevance"});
    BOOST_TEST(v.terms.size() == 2u);
}

BOOST_AUTO_TEST_CASE(phrases_stay_within_a_clause_and_need_two_weighed_words) {
    const std::string text = "Sparse experts route tokens, while dense layers (a baseline) $x$ "
                             "wait <i>quietly</i> here";
    const auto toks = tokenize(text);
    std::vector<float> s(toks.size(), 0.0f);
    auto at = [&](std::string_view w) {
        for (std::size_t i = 0; i < toks.size(); ++i)
            if (text.substr(toks[i].begin, toks[i].end - toks[i].begin) == w) return i;
        BOOST_FAIL("no word " << w);
        return std::size_t(0);
    };
    s[at("experts")] = 1.0f;
    s[at("route")] = 0.5f;
    s[at("tokens")] = 0.2f;
    s[at("dense")] = 0.9f; // across the comma from "tokens": never joined to it
    phrase_field f(toks, text, true);
    auto best = f.best(s, 0.05, 0.0);
    BOOST_TEST_REQUIRE(best.has_value());
    BOOST_TEST(f.quote(*best) == "experts route tokens");
    f.take(*best);
    // "dense" alone has no second weighed word within its clause: no phrase rests on it.
    BOOST_TEST(!f.best(s, 0.05, 0.0).has_value());
    s[at("layers")] = 0.3f;
    auto next = f.best(s, 0.05, 0.0);
    BOOST_TEST_REQUIRE(next.has_value());
    BOOST_TEST(f.quote(*next) == "dense layers");
    // Markup and LaTeX end a clause: "wait" and "quietly" / "here" are never quoted together.
    s[at("wait")] = s[at("quietly")] = s[at("here")] = 2.0f;
    f.take(*next);
    auto last = f.best(s, 0.05, 0.0);
    BOOST_TEST((!last || f.quote(*last).find('<') == std::string_view::npos));
}

BOOST_AUTO_TEST_CASE(phrases_end_on_a_whole_phrase) {
    const std::string text = "Robust parameter estimation via moments, and Physics-Informed Neural "
                             "Networks in neuronal systems";
    const auto toks = tokenize(text);
    std::vector<float> s(toks.size(), 0.0f);
    auto set = [&](std::string_view w, float v) {
        for (std::size_t i = 0; i < toks.size(); ++i)
            if (text.substr(toks[i].begin, toks[i].end - toks[i].begin) == w) s[i] = v;
    };
    set("parameter", 0.8f);
    set("estimation", 1.0f);
    set("via", 0.5f); // weighed, but a connective: no phrase ends on it
    set("Physics", 0.9f);
    set("Informed", 0.9f);
    set("Neural", 0.9f); // "Networks" weighs nothing, but completes the phrase
    phrase_field f(toks, text, false);
    auto first = f.best(s, 0.05, 0.0);
    BOOST_TEST_REQUIRE(first.has_value());
    BOOST_TEST(f.quote(*first) == "Physics-Informed Neural Networks");
    f.take(*first);
    auto second = f.best(s, 0.05, 0.0);
    BOOST_TEST_REQUIRE(second.has_value());
    BOOST_TEST(f.quote(*second) == "parameter estimation");
}
