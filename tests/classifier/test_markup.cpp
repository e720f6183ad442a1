// strip_markup: tags, entities, whitespace, malformed input, and the offset map invariants.
#define BOOST_TEST_MODULE markup
#include "classifier/criteria_syntax.hpp"
#include "classifier/markup.hpp"

#include <boost/test/unit_test.hpp>

#include <random>
#include <string>

using sieve::mapped_text;
using sieve::strip_markup;

namespace {


// The contract of mapped_text, checked for any source.
void check_invariants(std::string_view source, const mapped_text& m) {
    BOOST_REQUIRE_EQUAL(m.source_offset.size(), m.text.size() + 1);
    BOOST_TEST(m.source_offset.back() == source.size());
    for (std::size_t i = 0; i + 1 < m.source_offset.size(); ++i) {
        BOOST_TEST(m.source_offset[i] <= m.source_offset[i + 1]);
        BOOST_TEST(m.source_offset[i] < source.size());
    }
    BOOST_TEST(sieve::valid_utf8(m.text));
    BOOST_TEST((m.text.empty() || (m.text.front() != ' ' && m.text.back() != ' ')));
    BOOST_TEST(m.text.find("  ") == std::string::npos);
}

std::string strip(std::string_view s) {
    mapped_text m = strip_markup(s);
    check_invariants(s, m);
    return m.text;
}

} // namespace

BOOST_AUTO_TEST_CASE(plain_text_only_whitespace_normalised) {
    BOOST_TEST(strip("  Deep   learning\n\tfor\r\ngraphs  ") == "Deep learning for graphs");
    BOOST_TEST(strip("") == "");
    BOOST_TEST(strip("   ") == "");
    BOOST_TEST(strip("x^2 + y_1 = $\\alpha$") == "x^2 + y_1 = $\\alpha$");
    BOOST_TEST(strip("基于压缩感知的图像压缩") == "基于压缩感知的图像压缩");
}

BOOST_AUTO_TEST_CASE(jats_paragraphs_become_spaces) {
    BOOST_TEST(strip("<jats:title>Abstract</jats:title><jats:p>We study <jats:italic>graphs"
                     "</jats:italic>.</jats:p><jats:p>Second.</jats:p>") ==
               "Abstract We study graphs. Second.");
    BOOST_TEST(strip("<p>One</p><p>Two</p>") == "One Two");
    BOOST_TEST(strip("line<br/>break<br>again") == "line break again");
}

BOOST_AUTO_TEST_CASE(inline_tags_do_not_split_words) {
    BOOST_TEST(strip("H<sub>2</sub>O and x<sup>2</sup>") == "H2O and x2");
    BOOST_TEST(strip("<i>In vivo</i> results") == "In vivo results");
    BOOST_TEST(strip("<a href=\"http://x.org/?a=1&amp;b=2\" title='a>b'>link</a>") == "link");
}

BOOST_AUTO_TEST_CASE(entities_are_decoded) {
    BOOST_TEST(strip("a &amp; b &lt;c&gt; &quot;q&quot; &apos;") == "a & b <c> \"q\" '");
    BOOST_TEST(strip("caf&eacute; caf&#233; caf&#xE9;") == "café café café");
    BOOST_TEST(strip("&alpha;&beta; &ndash; &hellip;") == "αβ – …");
    BOOST_TEST(strip("a&nbsp;&nbsp;b") == "a b");
    BOOST_TEST(strip("&#0; &#xD800; &#x110000;") == "\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD");
    BOOST_TEST(strip("&#32;33&#10;&#9;x&#x20;") == "33 x"); // decoded whitespace collapses too
}

BOOST_AUTO_TEST_CASE(unknown_or_broken_references_stay_text) {
    BOOST_TEST(strip("AT&T &foo; &#; &#x; & done") == "AT&T &foo; &#; &#x; & done");
    BOOST_TEST(strip("&amp") == "&amp");
}

BOOST_AUTO_TEST_CASE(malformed_markup_is_read_forgivingly) {
    BOOST_TEST(strip("for n<m and m>k we have <i>bounds") == "for n<m and m>k we have bounds");
    BOOST_TEST(strip("a < b and c > d") == "a < b and c > d");
    BOOST_TEST(strip("unclosed <i") == "unclosed <i");
    BOOST_TEST(strip("<p>para <b>bold</p>") == "para bold");
    BOOST_TEST(strip("x <!-- note --> y") == "x y");
    BOOST_TEST(strip("<![CDATA[a<b]]> c") == "a<b c");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_replaced) {
    BOOST_TEST(strip("a\xff"
                     "b") == "a\xEF\xBF\xBD"
                             "b");
    BOOST_TEST(strip("\xC3") == "\xEF\xBF\xBD"); // truncated sequence
    BOOST_TEST(strip("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // surrogate
}

BOOST_AUTO_TEST_CASE(offsets_point_into_the_source) {
    const std::string src = " <i>ab</i> &amp; c";
    const mapped_text m = strip_markup(src);
    BOOST_REQUIRE_EQUAL(m.text, "ab & c");
    BOOST_TEST(m.source_offset[0] == 4u);             // 'a'
    BOOST_TEST(m.source_offset[1] == 5u);             // 'b'
    BOOST_TEST(m.source_offset[3] == 11u);            // '&' from "&amp;"
    BOOST_TEST(m.source_offset[5] == src.size() - 1); // 'c'
    BOOST_TEST(m.source_offset[6] == src.size());
    for (std::size_t i = 0; i < m.text.size(); ++i)
        if (m.text[i] != ' ' && m.text[i] != '&')
            BOOST_TEST(src[m.source_offset[i]] == m.text[i]);
}

BOOST_AUTO_TEST_CASE(random_input_keeps_invariants) {
    std::mt19937 rng(12345);
    const std::string alphabet = "<>/&;#x0123abcpi \n\t\"'=![]-:\xC3\xA9\xff";
    for (int round = 0; round < 3000; ++round) {
        std::string s(rng() % 64, ' ');
        for (char& c : s)
            c = alphabet[rng() % alphabet.size()];
        check_invariants(s, strip_markup(s));
    }
}
