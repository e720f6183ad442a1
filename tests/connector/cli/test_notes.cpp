// The child notes' bars (issue "Notes a researcher trusts"), over every paper of
// validation.jsonl and the `wild` stratum of judged-2.jsonl as `sieve classify --input` judges
// them ($SIEVE_BIN): >= 95 % of notes quote a span that bears on the verdict, every application
// note names a field, no note repeats a quote, at most five quotes, each an exact substring of
// its field, <= 120 words before the evidence list, thin evidence said plainly, well-formed
// XHTML, and the same output on a second run.
#define BOOST_TEST_MODULE notes
#include "tests/support/cli_test_util.hpp"

#include <tinyxml2.h>

#include <set>

namespace json = boost::json;
using namespace sieve_test;

namespace {

void collect_text(const tinyxml2::XMLNode* n, std::string& out) {
    for (auto* c = n->FirstChild(); c; c = c->NextSibling()) {
        if (auto* t = c->ToText()) out += t->Value();
        collect_text(c, out);
    }
}

std::size_t words(std::string_view s) {
    std::size_t n = 0;
    bool in = false;
    for (char ch : s) {
        const bool space = ch == ' ' || ch == '\n' || ch == '\t';
        n += !space && !in;
        in = !space;
    }
    return n;
}

std::string lower(std::string s) {
    for (auto& ch : s)
        if (ch >= 'A' && ch <= 'Z') ch = char(ch - 'A' + 'a');
    return s;
}

// Whether evidence e bears on the verdict: weighed for it in the head that decided it (or, for
// irrelevant, against relevance or machine learning, or shows the field), or matches a criteria
// line of the verdict's kind.
bool bears(const json::object& e, const std::string& verdict) {
    const std::string sup = string_member(e, "supports");
    const double w = e.at("weight").to_number<double>();
    std::string kind;
    if (const auto* c = e.at("criterion").if_object()) kind = string_member(*c, "kind");
    if (verdict == "relevant")
        return ((sup.starts_with("topic:") || sup == "meta:relevant") && w > 0) ||
               (sup.empty() && (kind == "topic_relevant" || kind == "keywords_relevant"));
    if (verdict == "application")
        return ((sup.starts_with("field:") || sup == "meta:application") && w > 0) ||
               (sup.empty() && (kind == "keywords_application" || kind == "topic_irrelevant"));
    return ((sup == "meta:relevant" || sup == "meta:ml") && w < 0) ||
           (sup.starts_with("field:") && w > 0) || kind == "keywords_irrelevant";
}

struct tally {
    std::size_t notes = 0, bearing = 0, applications = 0, application_fields = 0;
    std::size_t repeats = 0, too_long = 0, max_words = 0, thin = 0;
};

// One judgment against its item; adds to t.
void check(const json::object& in, const json::object& o, tally& t) {
    const std::string verdict = string_member(o, "verdict");
    const std::string note = string_member(o, "note_html");
    tinyxml2::XMLDocument doc;
    BOOST_TEST_REQUIRE(doc.Parse(note.c_str(), note.size()) == tinyxml2::XML_SUCCESS, note);
    const auto* root = doc.RootElement();
    BOOST_TEST_REQUIRE(root != nullptr);
    BOOST_TEST(root->Attribute("data-sieve-note", "1"));
    BOOST_TEST(root->NextSiblingElement() == nullptr);
    std::string before; // the note's text before the evidence list
    for (auto* e = root->FirstChildElement(); e; e = e->NextSiblingElement()) {
        std::string s;
        collect_text(e, s);
        if (s == "Evidence" || std::string(e->Name()) == "ul") break;
        before += s + " ";
    }
    ++t.notes;
    t.max_words = std::max(t.max_words, words(before));
    t.too_long += words(before) > 120;

    const auto& ev = o.at("evidence").as_array();
    BOOST_TEST(ev.size() <= 5u);
    std::set<std::string> quotes;
    bool bearing = false;
    for (const auto& v : ev) {
        const auto& e = v.as_object();
        const std::string field = string_member(e, "field");
        BOOST_TEST_REQUIRE((field == "title" || field == "abstract"), field);
        const std::string text = string_member(in, field.c_str());
        const auto b = std::size_t(e.at("begin").as_int64()), end = std::size_t(e.at("end").as_int64());
        BOOST_TEST_REQUIRE((b < end && end <= text.size()));
        const std::string quote = string_member(e, "quote");
        BOOST_TEST(text.substr(b, end - b) == quote);
        BOOST_TEST(words(quote) <= 12u, quote);
        t.repeats += !quotes.insert(lower(quote)).second;
        bearing = bearing || bears(e, verdict);
    }
    t.bearing += bearing;
    if (verdict == "application") {
        ++t.applications;
        const std::string f = string_member(o, "field");
        std::string all;
        collect_text(root, all);
        t.application_fields += !f.empty() && all.find(f) != std::string::npos;
    }
    if (o.at("thin_evidence").as_bool()) {
        ++t.thin;
        BOOST_TEST(note.find("Thin evidence:") != std::string::npos);
    }
}

void check_file(const std::vector<std::string>& input, const char* what) {
    temp_dir tmp;
    write_file(tmp / "in.jsonl", [&] {
        std::string s;
        for (const auto& l : input) s += l + "\n";
        return s;
    }());
    std::string args = "classify --format jsonl --input " + quoted((tmp / "in.jsonl").string());
    if (const char* m = std::getenv("SIEVE_TEST_MODEL")) // another model file (experiments)
        args += " --model " + quoted(m);
    const run_result r = run_sieve(tmp, args);
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    const auto out = lines_of(r.out);
    BOOST_TEST_REQUIRE(out.size() == input.size());
    tally t;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const json::object in = json::parse(input[i]).as_object();
        BOOST_TEST_CONTEXT(what << " line " << i + 1 << " id " << string_member(in, "id"))
        check(in, json::parse(out[i]).as_object(), t);
    }
    BOOST_TEST_MESSAGE(what << ": " << t.notes << " notes, " << t.bearing
                            << " quote a span bearing on the verdict, " << t.application_fields
                            << " of " << t.applications << " application notes name a field, "
                            << t.repeats << " repeated quotes, " << t.thin << " thin, at most "
                            << t.max_words << " words before the evidence list");
    BOOST_TEST(t.bearing * 100 >= t.notes * 95);
    BOOST_TEST(t.application_fields == t.applications);
    BOOST_TEST(t.repeats == 0u);
    BOOST_TEST(t.too_long == 0u);
    BOOST_TEST(run_sieve(tmp, args).out == r.out); // deterministic
}

} // namespace

BOOST_AUTO_TEST_CASE(validation_set) {
    const auto input = file_lines(shared_dir() / "corpus" / "validation.jsonl");
    BOOST_TEST_REQUIRE(input.size() > 5000u);
    check_file(input, "validation.jsonl");
}

BOOST_AUTO_TEST_CASE(wild_stratum) {
    std::vector<std::string> wild;
    for (auto& l : file_lines(shared_dir() / "corpus" / "judged-2.jsonl"))
        if (string_member(json::parse(l).as_object(), "stratum") == "wild") wild.push_back(l);
    BOOST_TEST_REQUIRE(wild.size() > 700u);
    check_file(wild, "judged-2.jsonl wild");
}
