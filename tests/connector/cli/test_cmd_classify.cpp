// `sieve classify` as a user runs it ($SIEVE_BIN): the whole validation set (notes well-formed,
// naming the verdict and the criterion lines, quoting only the item's own text), bad input lines,
// Zotero databases, criteria files and the table format.
#define BOOST_TEST_MODULE cmd_classify
#include "tests/support/cli_test_util.hpp"
#include "connector/zotero/zotero_reader.hpp"

#include <tinyxml2.h>

#include <regex>
#include <set>

namespace json = boost::json;
using namespace sieve_test;

namespace {

fs::path validation() {
    return shared_dir() / "corpus" / "validation.jsonl";
}

void collect_text(const tinyxml2::XMLNode* n, std::string& out) {
    for (auto* c = n->FirstChild(); c; c = c->NextSibling()) {
        if (auto* t = c->ToText())
            out += t->Value();
        collect_text(c, out);
    }
}

// What note.cpp does to quoted text: line breaks and tabs become spaces, other control
// characters are dropped.
std::string xml_text(std::string_view s) {
    std::string out;
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\t' || c == '\n' || c == '\r')
            out += ' ';
        else if (c >= 0x20)
            out += ch;
    }
    return out;
}

const std::set<std::string> note_elements = {"div", "h2", "p", "strong", "ul", "li"};

void check_elements(const tinyxml2::XMLElement* e) {
    BOOST_TEST(note_elements.count(e->Name()) == 1u, e->Name());
    for (auto* c = e->FirstChildElement(); c; c = c->NextSiblingElement())
        check_elements(c);
}

std::string verdict_title(const std::string& v) {
    return v == "relevant" ? "Relevant" : v == "application" ? "Application" : "Irrelevant";
}

struct item_text {
    std::string title, abstract;
};

// One judgment object against the item it judged.
void check_judgment(const json::object& o, const item_text& item) {
    const std::string verdict = string_member(o, "verdict");
    BOOST_TEST((verdict == "relevant" || verdict == "application" || verdict == "irrelevant"));
    const auto score = o.at("score").as_int64();
    BOOST_TEST((score >= 1 && score <= 10));
    const double conf = o.at("confidence").to_number<double>();
    BOOST_TEST((conf >= 0 && conf <= 1));
    BOOST_TEST(o.at("topics").is_array());

    // Evidence quotes the item's own field at [begin, end).
    std::set<std::int64_t> lines;
    for (const auto& ev : o.at("evidence").as_array()) {
        const auto& e = ev.as_object();
        const std::string field = string_member(e, "field");
        BOOST_TEST_REQUIRE((field == "title" || field == "abstract"), field);
        const std::string& text = field == "title" ? item.title : item.abstract;
        const auto begin = static_cast<std::size_t>(e.at("begin").as_int64());
        const auto end = static_cast<std::size_t>(e.at("end").as_int64());
        BOOST_TEST_REQUIRE(begin < end);
        BOOST_TEST_REQUIRE(end <= text.size());
        BOOST_TEST(text.substr(begin, end - begin) == string_member(e, "quote"));
        BOOST_TEST(!string_member(e, "quote").ends_with(">")); // no markup after the words
        if (const auto* crit = e.at("criterion").if_object()) // null: a span of the model's only
            lines.insert(crit->at("line").as_int64());
    }

    // The note: one well-formed <div data-sieve-note="1"> of simple XHTML elements.
    const std::string note = string_member(o, "note_html");
    tinyxml2::XMLDocument doc;
    BOOST_TEST_REQUIRE(doc.Parse(note.c_str(), note.size()) == tinyxml2::XML_SUCCESS, note);
    const auto* root = doc.RootElement();
    BOOST_TEST_REQUIRE(root != nullptr);
    BOOST_TEST(std::string(root->Name()) == "div");
    BOOST_TEST(root->Attribute("data-sieve-note", "1"));
    BOOST_TEST(root->NextSiblingElement() == nullptr);
    check_elements(root);
    const auto* h2 = root->FirstChildElement("h2");
    BOOST_TEST_REQUIRE(h2 != nullptr);
    BOOST_TEST(std::string(h2->GetText() ? h2->GetText() : "")
                   .starts_with("Sieve: " + verdict_title(verdict)),
               note);
    std::string text;
    collect_text(root, text);
    for (auto line : lines) // every criterion line of the evidence is named
        BOOST_TEST(text.find("line " + std::to_string(line)) != std::string::npos,
                   "line " << line << " not in " << note);
    if (!lines.empty())
        BOOST_TEST(std::regex_search(text, std::regex("line [0-9]+")));

    // Every quoted passage of the evidence list is the item's own text.
    const std::string title = xml_text(item.title), abstract = xml_text(item.abstract);
    if (const auto* ul = root->FirstChildElement("ul"))
        for (auto* li = ul->FirstChildElement("li"); li; li = li->NextSiblingElement("li")) {
            std::string s;
            collect_text(li, s);
            const std::string open = "\u201c", close = "\u201d (";
            BOOST_TEST_REQUIRE(s.starts_with(open), s);
            const auto stop = s.find(close);
            BOOST_TEST_REQUIRE(stop != std::string::npos, s);
            std::string quote = s.substr(open.size(), stop - open.size());
            if (quote.ends_with("\u2026"))
                quote.resize(quote.size() - std::string("\u2026").size());
            BOOST_TEST((title.find(quote) != std::string::npos ||
                        abstract.find(quote) != std::string::npos),
                       "quote not in the item: " << quote);
        }
}

item_text item_of(const json::object& in) {
    return {string_member(in, "title"), string_member(in, "abstract")};
}

std::string criteria_with_irrelevant(const std::string& keyword) {
    std::string text = file_bytes(shared_dir() / "criteria" / "seed-criteria.md");
    const std::string anchor = "- Irrelevant: Reinforcement Learning,";
    const auto at = text.find(anchor);
    BOOST_TEST_REQUIRE(at != std::string::npos);
    text.replace(at, anchor.size(), "- Irrelevant: " + keyword + ", Reinforcement Learning,");
    return text;
}

} // namespace

BOOST_AUTO_TEST_CASE(whole_validation_set) {
    temp_dir tmp;
    const auto input = file_lines(validation());
    BOOST_TEST_REQUIRE(input.size() > 5000u);
    const run_result r =
        run_sieve(tmp, "classify --format jsonl --input " + quoted(validation().string()));
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    BOOST_TEST(r.err.empty());
    const auto out = lines_of(r.out);
    BOOST_TEST_REQUIRE(out.size() == input.size());
    std::size_t with_evidence = 0, relevant = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const json::object in = json::parse(input[i]).as_object();
        const json::object o = json::parse(out[i]).as_object();
        BOOST_TEST_CONTEXT("line " << i + 1 << " id " << string_member(in, "id")) {
            BOOST_TEST_REQUIRE(string_member(o, "id") == string_member(in, "id"));
            check_judgment(o, item_of(in));
            with_evidence += !o.at("evidence").as_array().empty();
            relevant += string_member(o, "verdict") == "relevant";
        }
    }
    BOOST_TEST_MESSAGE(out.size() << " papers, " << with_evidence << " with evidence, " << relevant
                                  << " relevant");
    BOOST_TEST(with_evidence > out.size() / 4);
    BOOST_TEST(relevant > 0u);
}

BOOST_AUTO_TEST_CASE(bad_lines_are_reported_and_the_rest_judged) {
    temp_dir tmp;
    const std::vector<std::string> lines = {
        R"({"id":"ok1","title":"Structured pruning of transformers","abstract":"We prune heads."})",
        "this is not JSON",
        R"({"id":"t1","abstract":"no title here"})",
        R"({"id":"t2","title":42,"abstract":"a number as title"})",
        "",
        R"({"id":"t3","title":"x","abstract":["not","a","string"]})",
        R"({"id":"t4","title":"x","abstract":"y","keywords":"not an array"})",
        R"([1,2,3])",
        R"({"id":{"a":1},"title":"x"})",
        "{\"id\":7,\"title\":\"Quantized mixture-of-experts\",\"abstract\":null}\r",
    };
    std::string text;
    for (const auto& l : lines)
        text += l + "\n";
    write_file(tmp / "in.jsonl", text);
    const run_result r = run_sieve(tmp, "classify --input " + quoted((tmp / "in.jsonl").string()));
    BOOST_TEST(r.code == 4);
    const auto out = lines_of(r.out);
    BOOST_TEST_REQUIRE(out.size() == lines.size() - 1); // the empty line is skipped
    const std::vector<std::size_t> bad = {2, 3, 4, 6, 7, 8, 9};
    std::size_t k = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].empty())
            continue;
        const json::object o = json::parse(out[k++]).as_object();
        BOOST_TEST_CONTEXT("input line " << i + 1) {
            if (std::find(bad.begin(), bad.end(), i + 1) != bad.end()) {
                BOOST_TEST(o.at("line").as_int64() == static_cast<std::int64_t>(i + 1));
                BOOST_TEST(!string_member(o, "error").empty());
                BOOST_TEST(!o.contains("verdict"));
            } else {
                BOOST_TEST(!o.contains("error"));
                const json::object in = json::parse(lines[i]).as_object();
                check_judgment(o, item_of(in));
            }
        }
    }
    BOOST_TEST(string_member(json::parse(out[1]).as_object(), "error").find("JSON") !=
               std::string::npos);
    BOOST_TEST(string_member(json::parse(out[2]).as_object(), "error").find("title") !=
               std::string::npos);
    BOOST_TEST(string_member(json::parse(out.back()).as_object(), "id") == "7");

    // All lines good: exit 0.
    write_file(tmp / "good.jsonl", lines[0] + "\n");
    BOOST_TEST(run_sieve(tmp, "classify --input " + quoted((tmp / "good.jsonl").string())).code ==
               0);
    // Unreadable input: a usage error.
    const run_result missing =
        run_sieve(tmp, "classify --input " + quoted((tmp / "absent.jsonl").string()));
    BOOST_TEST(missing.code == 2);
    BOOST_TEST(!missing.err.empty());
}

BOOST_AUTO_TEST_CASE(zotero_libraries) {
    for (const fs::path& real : real_libraries()) {
        BOOST_TEST_CONTEXT(real.filename().string()) {
            temp_dir tmp;
            const fs::path db = copy_into(real, tmp / "zotero", "zotero.sqlite");
            std::string detail;
            sieve::reader_options opts;
            opts.snapshot_dir = tmp / "expected";
            const auto lib = sieve::read_zotero_library(db, opts, &detail);
            BOOST_TEST_REQUIRE(lib.has_value(), detail);
            const std::string env = "XDG_CACHE_HOME=" + quoted((tmp / "cache").string());
            const run_result r = run_sieve(tmp, "classify --db " + quoted(db.string()), env);
            BOOST_TEST_REQUIRE(r.code == 0, r.err);
            const auto out = lines_of(r.out);
            BOOST_TEST_REQUIRE(out.size() == lib->items.size());
            for (std::size_t i = 0; i < out.size(); ++i) {
                const auto& it = lib->items[i];
                const json::object o = json::parse(out[i]).as_object();
                BOOST_TEST_CONTEXT("item " << it.key) {
                    BOOST_TEST(string_member(o, "id") ==
                               std::to_string(it.library_id) + "/" + it.key);
                    check_judgment(o, {it.title, it.abstract});
                }
            }
            // The database is read through a snapshot in the cache dir, never opened itself.
            BOOST_TEST(listing(tmp / "zotero") == std::set<std::string>{"zotero.sqlite"});
        }
    }
}

// The distributed-systems library's classics are not machine learning: never "application".
BOOST_AUTO_TEST_CASE(distsys_classics_are_not_application) {
    temp_dir tmp;
    const fs::path db = copy_into(shared_dir() / "zotero-libraries" /
                                      "zotero6-schema121-distsys.sqlite",
                                  tmp / "zotero", "zotero.sqlite");
    const std::string env = "XDG_CACHE_HOME=" + quoted((tmp / "cache").string());
    const run_result r = run_sieve(tmp, "classify --format table --db " + quoted(db.string()), env);
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    int seen = 0;
    for (const auto& row : lines_of(r.out))
        for (const char* title : {"MapReduce", "Bigtable", "The Google File System",
                                  "Impossibility of distributed consensus"})
            if (row.find(std::string("\t") + title) != std::string::npos) {
                ++seen;
                BOOST_TEST(row.find("\tapplication\t") == std::string::npos, row);
            }
    BOOST_TEST(seen == 4);
}

BOOST_AUTO_TEST_CASE(missing_database_exits_3) {
    temp_dir tmp;
    const std::string env = "XDG_CACHE_HOME=" + quoted((tmp / "cache").string());
    const run_result r =
        run_sieve(tmp, "classify --db " + quoted((tmp / "absent.sqlite").string()), env);
    BOOST_TEST(r.code == 3);
    BOOST_TEST(r.out.empty());
    BOOST_TEST(!r.err.empty());
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2) {
    temp_dir tmp;
    write_file(tmp / "in.jsonl", R"({"title":"x"})"
                                 "\n");
    const std::string in = quoted((tmp / "in.jsonl").string());
    BOOST_TEST(run_sieve(tmp, "classify").code == 2);
    BOOST_TEST(run_sieve(tmp, "classify --input " + in + " --db x.sqlite").code == 2);
    BOOST_TEST(run_sieve(tmp, "classify --input " + in + " --format xml").code == 2);
    BOOST_TEST(run_sieve(tmp, "classify --input " + in + " --no-such-option").code == 2);
    BOOST_TEST(run_sieve(tmp, "classify --input " + in + " --criteria " +
                                  quoted((tmp / "absent.md").string()))
                   .code == 2);
    write_file(tmp / "bad.model", "sieve-model 1\nversion 0\nhash_bits 99\n");
    const run_result m = run_sieve(tmp, "classify --input " + in + " --model " +
                                            quoted((tmp / "bad.model").string()));
    BOOST_TEST(m.code == 2);
    BOOST_TEST(m.err.find("model line 3") != std::string::npos, m.err);
}

BOOST_AUTO_TEST_CASE(criteria_files) {
    temp_dir tmp;
    write_file(
        tmp / "in.jsonl",
        R"({"id":"gnn","title":"Expressive Graph Neural Networks with Higher-Order Messages","abstract":"We study the expressive power of graph neural networks and propose higher-order message passing that distinguishes more graphs than the Weisfeiler-Leman test."})"
        "\n");
    const std::string in = quoted((tmp / "in.jsonl").string());

    write_file(tmp / "broken.md", "1. Vision\n   - Relevant: detection\n2.\n   - Relevant: x\n");
    const run_result bad = run_sieve(tmp, "classify --input " + in + " --criteria " +
                                              quoted((tmp / "broken.md").string()));
    BOOST_TEST(bad.code == 2);
    BOOST_TEST(bad.out.empty());
    BOOST_TEST(bad.err.find("line 3") != std::string::npos, bad.err);
    BOOST_TEST(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);

    write_file(tmp / "seed.md", file_bytes(shared_dir() / "criteria" / "seed-criteria.md"));
    write_file(tmp / "edited.md", criteria_with_irrelevant("Graph Neural Networks"));
    const run_result plain = run_sieve(tmp, "classify --input " + in);
    const run_result seed = run_sieve(tmp, "classify --input " + in + " --criteria " +
                                               quoted((tmp / "seed.md").string()));
    const run_result edited = run_sieve(tmp, "classify --input " + in + " --criteria " +
                                                 quoted((tmp / "edited.md").string()));
    BOOST_TEST_REQUIRE(plain.code == 0);
    BOOST_TEST_REQUIRE(seed.code == 0);
    BOOST_TEST_REQUIRE(edited.code == 0);
    BOOST_TEST(seed.out == plain.out); // the seed file is what is embedded
    BOOST_TEST(edited.out != plain.out);
    const json::object o = json::parse(edited.out).as_object();
    check_judgment(o, item_of(json::parse(file_bytes(tmp / "in.jsonl")).as_object()));
    if (string_member(o, "verdict") == "irrelevant")
        BOOST_TEST(string_member(o, "note_html").find("Graph Neural Networks") !=
                   std::string::npos);
}

BOOST_AUTO_TEST_CASE(table_format) {
    temp_dir tmp;
    const auto input = file_lines(validation());
    std::string text;
    for (std::size_t i = 0; i < 200; ++i)
        text += input[i] + "\n";
    // A title with a tab, a line break and a long multi-byte tail still makes one row.
    text += R"({"id":"odd","title":"Tab\there\nand a line break )" + std::string(51, 'x') +
            "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9" + R"(","abstract":""})" +
            "\n";
    write_file(tmp / "in.jsonl", text);
    const run_result r =
        run_sieve(tmp, "classify --format table --input " + quoted((tmp / "in.jsonl").string()));
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    const auto out = lines_of(r.out);
    BOOST_TEST_REQUIRE(out.size() == 202u);
    BOOST_TEST(out[0] == "id\tverdict\tscore\tconfidence\ttopics\ttitle");
    for (std::size_t i = 1; i < out.size(); ++i) {
        BOOST_TEST_CONTEXT("row " << i) {
            BOOST_TEST(std::count(out[i].begin(), out[i].end(), '\t') == 5);
            const std::string id =
                i <= 200 ? string_member(json::parse(input[i - 1]).as_object(), "id") : "odd";
            BOOST_TEST(out[i].starts_with(id + "\t"));
            const std::string verdict =
                out[i].substr(id.size() + 1, out[i].find('\t', id.size() + 1) - id.size() - 1);
            BOOST_TEST(
                (verdict == "relevant" || verdict == "application" || verdict == "irrelevant"));
        }
    }
    // The title is clipped to 80 bytes on a character boundary: 77 ASCII bytes and one "é".
    BOOST_TEST(
        out.back().ends_with("\tTab here and a line break " + std::string(51, 'x') + "\u00e9"),
        out.back());
}
