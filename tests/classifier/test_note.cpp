#define BOOST_TEST_MODULE note
#include "classifier/note.hpp"

#include <boost/test/unit_test.hpp>
#include <tinyxml2.h>

#include <string>

using namespace sieve;

namespace {

const criteria& seed() {
    static const criteria c = parse_criteria(default_criteria_text()).value();
    return c;
}

// Index into seed().lines of the criterion on file line `no`.
std::size_t line_index(std::size_t no) {
    const auto& ls = seed().lines;
    for (std::size_t i = 0; i < ls.size(); ++i)
        if (ls[i].line_no == no)
            return i;
    BOOST_FAIL("no criterion line " << no);
    return 0;
}

evidence ev(std::string field, std::string quote, std::size_t file_line) {
    evidence e;
    e.field = std::move(field);
    e.quote = std::move(quote);
    e.end = static_cast<std::uint32_t>(e.quote.size());
    e.criterion = line_index(file_line);
    return e;
}

judgment relevant_judgment() {
    judgment j;
    j.label = verdict::relevant;
    j.topics = {"Model Architecture"};
    j.score = 8;
    j.confidence = 0.82;
    j.judge = "sieve-local test";
    j.evidence = {ev("title", "Mixture-of-Experts", 6), ev("abstract", "sparse routing", 47)};
    return j;
}

void collect_text(const tinyxml2::XMLNode* n, std::string& out) {
    for (auto* c = n->FirstChild(); c; c = c->NextSibling()) {
        if (auto* t = c->ToText())
            out += t->Value();
        collect_text(c, out);
    }
}

// Parses the note; fails the test unless it is one well-formed <div data-sieve-note="1">.
std::string parsed_text(const std::string& note) {
    tinyxml2::XMLDocument doc;
    BOOST_TEST_REQUIRE(doc.Parse(note.c_str(), note.size()) == tinyxml2::XML_SUCCESS, note);
    auto* root = doc.RootElement();
    BOOST_TEST_REQUIRE(root);
    BOOST_TEST(std::string(root->Name()) == "div");
    BOOST_TEST(root->Attribute("data-sieve-note", "1"));
    BOOST_TEST(root->NextSiblingElement() == nullptr);
    std::string text;
    collect_text(root, text);
    return text;
}

bool valid_xml_chars(const std::string& s) {
    for (unsigned char c : s)
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return false;
    return true;
}

bool has(const std::string& s, std::string_view what) {
    return s.find(what) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_CASE(relevant_note_names_verdict_topic_and_criterion) {
    paper p;
    p.title = "Mixture-of-Experts";
    p.abstract = "An abstract.";
    const auto note = build_note(relevant_judgment(), seed(), p);
    const auto text = parsed_text(note);
    BOOST_TEST(has(note, "<h2>Sieve: Relevant"));
    BOOST_TEST(has(text, "Model Architecture"));
    BOOST_TEST(has(text, "Foundational work on Model Architecture"));
    BOOST_TEST(has(text, "Topic 1 Model Architecture \u2014 Relevant, line 6"));
    BOOST_TEST(has(text, "Keywords \u2014 Relevant, line 47"));
    BOOST_TEST(has(text, "\u201cMixture-of-Experts (MoE), Transformers")); // the criterion's words
    BOOST_TEST(has(text, "Score 8/10"));
    BOOST_TEST(has(text, "confidence 0.82"));
    BOOST_TEST(has(text, "sieve-local test"));
    BOOST_TEST(has(text, seed().version));
    BOOST_TEST(!has(text, "Thin evidence"));
    // Verdict and why come before the evidence list and the score line.
    BOOST_TEST(text.find("Foundational") < text.find("Evidence"));
    BOOST_TEST(text.find("Evidence") < text.find("Score"));
}

BOOST_AUTO_TEST_CASE(application_names_keyword_and_bullet) {
    judgment j;
    j.label = verdict::application;
    j.topics = {"ML Systems"};
    j.evidence = {ev("abstract", "medical images segmentation", 49),
                  ev("abstract", "autonomous driving", 36)};
    const auto text = parsed_text(build_note(j, seed(), paper{}));
    BOOST_TEST(has(text, "Sieve: Application \u2014 ML Systems"));
    BOOST_TEST(has(text, "Application keywords: Image Segmentation"));
    BOOST_TEST(has(text, "Keywords \u2014 Application, line 49"));
    BOOST_TEST(has(text, "Topic 5 ML Systems \u2014 Irrelevant, line 36"));
    BOOST_TEST(has(text, "\u201cPurely application-focused engineering"));
}

BOOST_AUTO_TEST_CASE(irrelevant_without_evidence_says_no_topic_matched) {
    judgment j;
    j.label = verdict::irrelevant;
    const auto text = parsed_text(build_note(j, seed(), paper{}));
    BOOST_TEST(has(text, "Sieve: Irrelevant"));
    BOOST_TEST(has(text, "it fits no topic's Relevant criteria (lines 6, 10, 14, 18, 24)"));
    BOOST_TEST(!has(text, "Evidence"));

    j.evidence = {ev("title", "reinforcement learning", 48)};
    const auto text2 = parsed_text(build_note(j, seed(), paper{}));
    BOOST_TEST(has(text2, "Irrelevant keywords: Reinforcement Learning"));
    BOOST_TEST(has(text2, "line 48"));
}

BOOST_AUTO_TEST_CASE(thin_evidence_is_said_plainly) {
    auto j = relevant_judgment();
    j.thin_evidence = true;
    paper p;
    p.title = "A title only";
    BOOST_TEST(has(parsed_text(build_note(j, seed(), p)),
                   "No abstract: judged from the title alone"));
    p.abstract = "Kurz.";
    BOOST_TEST(has(parsed_text(build_note(j, seed(), p)), "confidence lowered"));
}

BOOST_AUTO_TEST_CASE(hostile_text_is_escaped_and_sanitised) {
    auto j = relevant_judgment();
    const std::string hostile = "<script>alert('x')</script> & \"q\" \xFF\xC3 bad\x01\x0B\x1F"
                                "\xEF\xBF\xBE end\xE0\x80";
    j.evidence.push_back(ev("abstract", hostile, 10));
    j.evidence.back().field = "<field>&";
    j.topics.push_back("<b>&amp;</b>");
    j.judge = "judge \"<x>\" \x02";
    const auto note = build_note(j, seed(), paper{});
    BOOST_TEST(!has(note, "<script>"));
    BOOST_TEST(!has(note, "<b>"));
    BOOST_TEST(has(note, "&lt;script&gt;"));
    BOOST_TEST(valid_xml_chars(note));
    BOOST_TEST(!has(note, "\xEF\xBF\xBE")); // U+FFFE is not an XML character
    const auto text = parsed_text(note);
    BOOST_TEST(has(text, "<script>alert('x')</script> & \"q\""));
    BOOST_TEST(has(text, "\uFFFD"));       // invalid bytes replaced
    BOOST_TEST(has(text, "<b>&amp;</b>")); // the topic name, as written
}

BOOST_AUTO_TEST_CASE(hostile_criteria_and_bad_indexes) {
    const auto c = parse_criteria("1. <Topic> & \"Co\"\n - Relevant: <i>x</i> & y\n").value();
    judgment j;
    j.label = verdict::relevant;
    j.topics = {c.topics[0].name};
    evidence e;
    e.field = "title";
    e.quote = "x";
    e.criterion = 0;
    j.evidence.push_back(e);
    e.criterion = 999; // not in the criteria: described, never dereferenced
    j.evidence.push_back(e);
    const auto text = parsed_text(build_note(j, c, paper{}));
    BOOST_TEST(has(text, "Topic 1 <Topic> & \"Co\" \u2014 Relevant, line 2"));
    BOOST_TEST(has(text, "no longer in the criteria file"));
}

BOOST_AUTO_TEST_CASE(long_quotes_are_clipped_and_list_is_bounded) {
    auto j = relevant_judgment();
    for (int i = 0; i < 30; ++i)
        j.evidence.push_back(ev("abstract", std::string(1000, 'a') + std::to_string(i), 6));
    const auto note = build_note(j, seed(), paper{});
    parsed_text(note);
    BOOST_TEST(note.size() < 6000u);
}

namespace {

evidence model_span(std::string field, std::string quote, std::string supports, double weight,
                    std::size_t criterion = no_criterion) {
    evidence e;
    e.field = std::move(field);
    e.quote = std::move(quote);
    e.end = static_cast<std::uint32_t>(e.quote.size());
    e.criterion = criterion;
    e.supports = std::move(supports);
    e.weight = weight;
    return e;
}

std::size_t words_before_evidence(const std::string& text) {
    const auto stop = text.find("Evidence");
    std::size_t n = 0;
    bool in = false;
    for (char ch : text.substr(0, stop)) {
        const bool space = ch == ' ';
        n += !space && !in;
        in = !space;
    }
    return n;
}

} // namespace

BOOST_AUTO_TEST_CASE(application_note_names_the_field_and_what_shows_it) {
    judgment j;
    j.label = verdict::application;
    j.field = "Biology and Medicine";
    j.topics = {"Representation Learning"};
    j.evidence = {model_span("title", "human EEG and fMRI", "field:Biology and Medicine", 1.2),
                  model_span("abstract", "decode visual stimuli", "meta:application", 0.8)};
    const auto text = parsed_text(build_note(j, seed(), paper{}));
    BOOST_TEST(has(text, "Applies machine learning to Biology and Medicine"));
    BOOST_TEST(has(text, "it touches Representation Learning"));
    BOOST_TEST(has(text, "\u201chuman EEG and fMRI\u201d (title) \u2014 shows the field Biology and "
                         "Medicine"));
    BOOST_TEST(has(text, "\u201cdecode visual stimuli\u201d (abstract) \u2014 weighed toward "
                         "Application"));
    BOOST_TEST(words_before_evidence(text) <= 120u);
}

BOOST_AUTO_TEST_CASE(irrelevant_outside_ml_names_the_field) {
    judgment j;
    j.label = verdict::irrelevant;
    j.outside_ml = true;
    j.field = "Mathematics and Theory";
    j.evidence = {model_span("abstract", "Byzantine consensus protocol", "meta:ml", -1.4)};
    const auto text = parsed_text(build_note(j, seed(), paper{}));
    BOOST_TEST(has(text, "Outside machine learning altogether: a paper in Mathematics and Theory."));
    BOOST_TEST(has(text, "weighed against machine learning"));
}

BOOST_AUTO_TEST_CASE(relevant_spans_name_their_criterion_and_long_lines_are_clipped) {
    judgment j;
    j.label = verdict::relevant;
    j.topics = {"ML Systems", "Model Compression and Efficiency"};
    j.evidence = {model_span("abstract", "joint encoding of KV-cache blocks", "topic:ML Systems", 1.1,
                             line_index(25)),
                  model_span("abstract", "4.38\u00d7 compression", "topic:Model Compression and "
                             "Efficiency", 0.9, line_index(10)),
                  model_span("title", "pushed away by", "meta:relevant", -0.5)};
    const auto text = parsed_text(build_note(j, seed(), paper{}));
    BOOST_TEST(has(text, "Foundational work on ML Systems and Model Compression and Efficiency."));
    BOOST_TEST(has(text, "Topic 5 ML Systems \u2014 Relevant, line 25"));
    BOOST_TEST(has(text, "Topic 2 Model Compression and Efficiency \u2014 Relevant, line 10"));
    BOOST_TEST(has(text, "\u2026\u201d")); // the long ML Systems line is cut
    BOOST_TEST(has(text, "weighed against Relevant"));
    BOOST_TEST(words_before_evidence(text) <= 120u);
}
