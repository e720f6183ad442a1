// tokenize / normalise_term / looks_non_english: folding, stemming, splitting, LaTeX, markup with
// offsets into the original field, Unicode, and arbitrary bytes.
#define BOOST_TEST_MODULE text
#include "classifier/text.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

using namespace sieve;

namespace {

std::vector<std::string> terms(std::string_view field) {
    std::vector<std::string> out;
    for (auto& t : tokenize(field))
        out.push_back(std::move(t.term));
    return out;
}

// The words as written: field.substr(begin, end - begin) of every token.
std::vector<std::string> spans(std::string_view field) {
    std::vector<std::string> out;
    for (const auto& t : tokenize(field))
        out.emplace_back(field.substr(t.begin, t.end - t.begin));
    return out;
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

using strings = std::vector<std::string>;

// Offsets are inside the field, non-empty and never decrease.
void check_offsets(std::string_view field, const std::vector<token>& toks) {
    std::uint32_t last = 0;
    for (const auto& t : toks) {
        BOOST_TEST_REQUIRE(t.begin < t.end);
        BOOST_TEST_REQUIRE(t.end <= field.size());
        BOOST_TEST_REQUIRE(t.begin >= last);
        BOOST_TEST_REQUIRE(!t.term.empty());
        last = t.begin;
    }
}

} // namespace

BOOST_AUTO_TEST_CASE(case_folding_and_stemming) {
    BOOST_TEST(normalise_term("Transformers") == normalise_term("transformer"));
    BOOST_TEST(normalise_term("TRANSFORMERS") == normalise_term("transformer"));
    BOOST_TEST(normalise_term("Pruning") == normalise_term("pruned"));
    BOOST_TEST(normalise_term("quantization") == normalise_term("Quantization"));
    BOOST_TEST(normalise_term("Experts") == normalise_term("expert"));
    BOOST_TEST(normalise_term("") == "");
    BOOST_TEST(normalise_term("  ") == "");

    const auto toks = tokenize("The Transformers of the world");
    BOOST_TEST_REQUIRE(toks.size() == 5u);
    BOOST_TEST(toks[0].stop);
    BOOST_TEST(toks[0].term == "the");
    BOOST_TEST(!toks[1].stop);
    BOOST_TEST(toks[1].term == normalise_term("transformer"));
    BOOST_TEST(toks[2].stop);
    BOOST_TEST(toks[4].term == normalise_term("worlds"));
}

BOOST_AUTO_TEST_CASE(offsets_are_the_words_as_written) {
    const std::string field = "  Sparse   Mixture-of-Experts, at scale!";
    BOOST_TEST(spans(field) == (strings{"Sparse", "Mixture", "of", "Experts", "at", "scale"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(hyphens_and_slashes_split_words) {
    BOOST_TEST(terms("mixture-of-experts") == terms("mixture of experts"),
               boost::test_tools::per_element());
    BOOST_TEST(terms("encoder/decoder") == terms("encoder decoder"),
               boost::test_tools::per_element());
    BOOST_TEST(spans("low-rank/sparse") == (strings{"low", "rank", "sparse"}),
               boost::test_tools::per_element());
    BOOST_TEST(terms("Conditional/Dynamic") == terms("conditional dynamic"),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(numbers_become_hash) {
    BOOST_TEST(terms("trained on 1024 GPUs in 2024") ==
                   (strings{"train", "on", "#", normalise_term("GPUs"), "in", "#"}),
               boost::test_tools::per_element());
    const auto t = terms("GPT-4 and v2");
    BOOST_TEST(contains(t, "#"));   // the 4 of GPT-4
    BOOST_TEST(!contains(t, "v#")); // letters and digits together stay a word
    BOOST_TEST(contains(t, normalise_term("v2")));
    BOOST_TEST(normalise_term("v2") != "#");
}

BOOST_AUTO_TEST_CASE(latex_math_is_skipped) {
    BOOST_TEST(terms("runs in $O(n^2)$ time") == terms("runs in time"),
               boost::test_tools::per_element());
    BOOST_TEST(terms("a bound $$\\sum_i x_i \\le k$$ holds") == terms("a bound holds"),
               boost::test_tools::per_element());
    BOOST_TEST(terms("with \\(\\alpha = 0.5\\) fixed") == terms("with fixed"),
               boost::test_tools::per_element());
    BOOST_TEST(terms("display \\[ y = W x \\] form") == terms("display form"),
               boost::test_tools::per_element());
    // Offsets of the words around math still point at the words.
    BOOST_TEST(spans("runs in $O(n^2)$ time") == (strings{"runs", "in", "time"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(latex_commands_keep_their_arguments) {
    const std::string field = "a \\emph{sparse} \\textbf{Transformer} model";
    BOOST_TEST(spans(field) == (strings{"a", "sparse", "Transformer", "model"}),
               boost::test_tools::per_element());
    BOOST_TEST(terms("\\emph{word}") == strings{normalise_term("word")},
               boost::test_tools::per_element());
    const auto toks = tokenize("\\emph{word}");
    BOOST_TEST_REQUIRE(toks.size() == 1u);
    BOOST_TEST(toks[0].begin == 6u);
    BOOST_TEST(toks[0].end == 10u);
}

BOOST_AUTO_TEST_CASE(lone_dollar_is_literal) {
    // No closing '$' nearby: the text after it is not math.
    BOOST_TEST(terms("it costs $5 per hour") == terms("it costs 5 per hour"),
               boost::test_tools::per_element());
    BOOST_TEST(spans("costs $5 per hour") == (strings{"costs", "5", "per", "hour"}),
               boost::test_tools::per_element());
    // A '$' whose partner is far away (beyond the inline-math limit) is literal too.
    const std::string far = "pay $ " + std::string(400, 'x') + " then $ done";
    BOOST_TEST(contains(terms(far), "done"));
    BOOST_TEST(contains(terms(far), "pay"));
}

BOOST_AUTO_TEST_CASE(markup_offsets_map_into_the_original_field) {
    const std::string field = "<jats:p>Sparse&amp;dense</jats:p>";
    const auto toks = tokenize(field);
    check_offsets(field, toks);
    BOOST_TEST(spans(field) == (strings{"Sparse", "dense"}), boost::test_tools::per_element());
    BOOST_TEST_REQUIRE(toks.size() == 2u);
    BOOST_TEST(toks[0].term == normalise_term("sparse"));
    BOOST_TEST(toks[1].term == normalise_term("dense"));

    const std::string html = "<p>We <i>prune</i> the <b>Transformer</b> weights.</p><p>Fast</p>";
    BOOST_TEST(spans(html) == (strings{"We", "prune", "the", "Transformer", "weights", "Fast"}),
               boost::test_tools::per_element());
    // Tag names and attributes are not words.
    const auto t =
        terms("<jats:title xml:lang=\"en\">Abstract</jats:title><jats:p>Pruning</jats:p>");
    BOOST_TEST(!contains(t, normalise_term("jats")));
    BOOST_TEST(!contains(t, normalise_term("lang")));
    BOOST_TEST(contains(t, normalise_term("pruning")));
}

BOOST_AUTO_TEST_CASE(entities_inside_words) {
    const std::string field = "the caf&eacute; effect";
    const auto toks = tokenize(field);
    check_offsets(field, toks);
    BOOST_TEST_REQUIRE(toks.size() == 3u);
    BOOST_TEST(field.substr(toks[1].begin, toks[1].end - toks[1].begin) == "caf&eacute;");
    BOOST_TEST(toks[1].term == normalise_term("caf\u00e9"));
    BOOST_TEST(spans("<p>caf&eacute;</p><p>na&#239;ve</p>") ==
                   (strings{"caf&eacute;", "na&#239;ve"}),
               boost::test_tools::per_element());
    // A numeric entity for a space separates words.
    BOOST_TEST(spans("low&#32;rank") == (strings{"low", "rank"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(nfkc_folding) {
    BOOST_TEST(normalise_term("\ufb01ne") == normalise_term("fine"));          // "ﬁ" ligature
    BOOST_TEST(normalise_term("e\ufb03cient") == normalise_term("efficient")); // "ﬃ"
    BOOST_TEST(
        normalise_term("\uff34\uff52\uff41\uff4e\uff53\uff46\uff4f\uff52\uff4d\uff45\uff52") ==
        normalise_term("transformer")); // full-width
    // Composed and decomposed accents are the same term.
    BOOST_TEST(normalise_term("caf\u00e9") == normalise_term("cafe\u0301"));
    const std::string field = "\ufb01ne-tuning";
    BOOST_TEST(spans(field) == (strings{"\ufb01ne", "tuning"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(cjk_and_cyrillic) {
    const std::string cjk =
        "\u6df1\u5ea6\u5b66\u4e60\u6a21\u578b\u3002\u7a00\u758f\u6ce8\u610f\u529b";
    const auto ct = tokenize(cjk);
    check_offsets(cjk, ct);
    // The ideographic full stop separates the two words; spans are whole code points.
    BOOST_TEST(spans(cjk) == (strings{"\u6df1\u5ea6\u5b66\u4e60\u6a21\u578b",
                                      "\u7a00\u758f\u6ce8\u610f\u529b"}),
               boost::test_tools::per_element());

    const std::string ru = "\u041d\u0435\u0439\u0440\u043e\u043d\u043d\u044b\u0435 "
                           "\u0421\u0415\u0422\u0418 \u0441\u0435\u0442\u0438";
    const auto rt = tokenize(ru);
    check_offsets(ru, rt);
    BOOST_TEST_REQUIRE(rt.size() == 3u);
    BOOST_TEST(ru.substr(rt[1].begin, rt[1].end - rt[1].begin) == "\u0421\u0415\u0422\u0418");
    BOOST_TEST(rt[1].term == rt[2].term); // case folded
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_skipped) {
    const std::string field = "\xff\xfe"
                              "abc \xc3 def \xe2\x82 ghi\xf0\x9f\x98";
    const auto toks = tokenize(field);
    check_offsets(field, toks);
    const auto t = terms(field);
    BOOST_TEST(contains(t, "abc"));
    BOOST_TEST(contains(t, "def"));
    BOOST_TEST(contains(t, "ghi"));
    // Same with markup present (strip_markup replaces bad bytes, offsets still map back).
    const std::string marked = "<p>\xff"
                               "abc</p> \xc3&amp; def";
    const auto mt = tokenize(marked);
    check_offsets(marked, mt);
    BOOST_TEST(contains(spans(marked), "abc"));
    BOOST_TEST(contains(spans(marked), "def"));
}

BOOST_AUTO_TEST_CASE(random_bytes_never_crash_and_offsets_stay_in_range) {
    std::mt19937 rng(12345);
    // Pieces that exercise every branch: markup, entities, LaTeX, Unicode, broken sequences.
    const std::vector<std::string> pieces = {"a",
                                             "Z",
                                             "9",
                                             " ",
                                             "-",
                                             "/",
                                             "$",
                                             "$$",
                                             "\\",
                                             "\\(",
                                             "\\)",
                                             "\\[",
                                             "\\]",
                                             "\\emph{",
                                             "}",
                                             "{",
                                             "<",
                                             ">",
                                             "</",
                                             "<p>",
                                             "</p>",
                                             "<jats:p>",
                                             "&",
                                             "&amp;",
                                             "&#x41;",
                                             "&#",
                                             ";",
                                             "&lt",
                                             "\xc3",
                                             "\xa9",
                                             "\xe2\x82",
                                             "\xf0\x9f\x98\x80",
                                             "\xff",
                                             "\x80",
                                             "\u00e9",
                                             "\u0301",
                                             "\ufb01",
                                             "\u6df1",
                                             "\u0421",
                                             "\u3000",
                                             "\n",
                                             "\t",
                                             "\r",
                                             std::string(1, '\0'),
                                             "Transformer",
                                             "pruning",
                                             "e\u0301",
                                             "\ud7ff",
                                             "\xed\xa0\x80",
                                             "\xf4\x90\x80\x80",
                                             "\xc0\xaf"};
    std::size_t total_tokens = 0;
    for (int round = 0; round < 4000; ++round) {
        std::string field;
        const auto n = std::uniform_int_distribution<int>(0, 60)(rng);
        for (int k = 0; k < n; ++k) {
            if (rng() % 4 == 0)
                field += static_cast<char>(rng() & 0xff);
            else
                field += pieces[rng() % pieces.size()];
        }
        token_stats stats;
        std::vector<token> toks;
        BOOST_REQUIRE_NO_THROW(toks = tokenize(field, &stats));
        BOOST_TEST_CONTEXT("round " << round) {
            check_offsets(field, toks);
            BOOST_TEST_REQUIRE(stats.words == toks.size());
            BOOST_TEST_REQUIRE(stats.latin <= stats.words);
            BOOST_TEST_REQUIRE(stats.stopwords <= stats.words);
            // Without markup, a token's span re-tokenises to the same single term.
            if (field.find_first_of("<&") == std::string::npos)
                for (const auto& t : toks) {
                    const auto again = tokenize(field.substr(t.begin, t.end - t.begin));
                    BOOST_TEST_REQUIRE(again.size() == 1u);
                    BOOST_TEST_REQUIRE(again[0].term == t.term);
                }
        }
        total_tokens += toks.size();
        (void)looks_non_english(stats);
    }
    BOOST_TEST(total_tokens > 1000u); // the generator does produce words
}

BOOST_AUTO_TEST_CASE(non_english_detection) {
    token_stats s;
    tokenize("We propose a new method for pruning the weights of large language models and show "
             "that it keeps the accuracy of the dense model while removing most of the parameters "
             "in each layer of the network.",
             &s);
    BOOST_TEST(!looks_non_english(s));

    token_stats ru;
    tokenize("\u041c\u044b \u043f\u0440\u0435\u0434\u043b\u0430\u0433\u0430\u0435\u043c "
             "\u043d\u043e\u0432\u044b\u0439 \u043c\u0435\u0442\u043e\u0434 "
             "\u043f\u0440\u0443\u043d\u0438\u043d\u0433\u0430 \u0432\u0435\u0441\u043e\u0432 "
             "\u0431\u043e\u043b\u044c\u0448\u0438\u0445 "
             "\u044f\u0437\u044b\u043a\u043e\u0432\u044b\u0445 "
             "\u043c\u043e\u0434\u0435\u043b\u0435\u0439 \u0438 "
             "\u043f\u043e\u043a\u0430\u0437\u044b\u0432\u0430\u0435\u043c",
             &ru);
    BOOST_TEST(ru.words >= 8u);
    BOOST_TEST(ru.latin == 0u);
    BOOST_TEST(looks_non_english(ru));

    // Latin script but no English function words over a long text (e.g. German).
    token_stats de;
    tokenize("Wir schlagen eine neue Methode zum Beschneiden grosser Sprachmodelle vor. Sie "
             "erhaelt die Genauigkeit dichter Modelle, entfernt jedoch viele Parameter jeder "
             "Schicht. Experimente zeigen deutliche Beschleunigung bei Inferenz und Training "
             "sowie geringeren Speicherbedarf waehrend Tests mit grossen Datensaetzen",
             &de);
    BOOST_TEST(de.words >= 30u);
    BOOST_TEST(looks_non_english(de));

    token_stats tiny; // too short to tell
    tokenize("\u6df1\u5ea6 \u5b66\u4e60", &tiny);
    BOOST_TEST(!looks_non_english(tiny));
    BOOST_TEST(!looks_non_english(token_stats{}));
}
