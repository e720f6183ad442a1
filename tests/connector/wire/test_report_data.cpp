// Unit tests of connector/wire/report_data, report_input and report_page: the aggregates the
// report's charts draw, what to read next, the reason taken from a real note, the input lines,
// and the page's escaping and inlined files.
#define BOOST_TEST_MODULE report_data
#include "classifier/classifier.hpp"
#include "connector/wire/paper_json.hpp"
#include "connector/wire/report_data.hpp"
#include "connector/wire/report_input.hpp"
#include "connector/wire/report_page.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cctype>

using namespace sieve;
namespace json = boost::json;

namespace {

report_item item(std::string id, verdict v, std::vector<std::string> topics, int score,
                 std::string added = "") {
    report_item it;
    it.id = std::move(id);
    it.title = "Title of " + it.id;
    it.link = "zotero://select/library/items/" + it.id;
    it.label = v;
    it.topics = std::move(topics);
    it.score = score;
    it.date_added = std::move(added);
    return it;
}

report_context context() {
    report_context c;
    c.title = "Test library";
    c.topics = {"Alpha", "Beta"};
    c.generated_at = 1700000000;
    return c;
}

const json::object& row_of(const json::array& rows, std::string_view key, std::string_view value) {
    for (const auto& r : rows)
        if (r.as_object().at(key).is_string() && r.as_object().at(key).as_string() == value)
            return r.as_object();
    BOOST_FAIL("no row " << value);
    throw std::logic_error("unreachable");
}

std::int64_t n(const json::object& row, std::string_view v) {
    return row.at(v).as_int64();
}

} // namespace

BOOST_AUTO_TEST_CASE(counts_per_topic_score_and_month) {
    std::vector<report_item> items{
        item("A", verdict::relevant, {"Alpha", "Beta"}, 9, "2024-01-05 10:00:00"),
        item("B", verdict::application, {"Alpha"}, 6, "2024-03-01 00:00:00"),
        item("C", verdict::irrelevant, {}, 2, ""),
        item("D", verdict::relevant, {"Gamma"}, 10, "2024-03-31 23:59:59"),
    };
    json::object d = build_report_data(items, context());
    BOOST_TEST(n(d.at("totals").as_object(), "items") == 4);
    BOOST_TEST(n(d.at("totals").as_object(), "relevant") == 2);
    const json::array& topics = d.at("topics").as_array();
    BOOST_TEST(topics.size() == 4u); // Alpha, Beta (criteria order), Gamma (older criteria), none
    BOOST_TEST(topics[0].as_object().at("topic").as_string() == "Alpha");
    BOOST_TEST(n(row_of(topics, "topic", "Alpha"), "relevant") == 1);
    BOOST_TEST(n(row_of(topics, "topic", "Alpha"), "application") == 1);
    BOOST_TEST(n(row_of(topics, "topic", "Beta"), "relevant") == 1);
    BOOST_TEST(n(row_of(topics, "topic", "Gamma"), "relevant") == 1);
    BOOST_TEST(n(row_of(topics, "topic", "(no topic)"), "irrelevant") == 1);
    const json::array& scores = d.at("scores").as_array();
    BOOST_TEST(scores.size() == 10u);
    BOOST_TEST(n(scores[8].as_object(), "relevant") == 1);   // score 9
    BOOST_TEST(n(scores[9].as_object(), "relevant") == 1);   // score 10
    BOOST_TEST(n(scores[1].as_object(), "irrelevant") == 1); // score 2
    const json::object& months = d.at("months").as_object();
    BOOST_TEST(months.at("undated").as_int64() == 1);
    const json::array& rows = months.at("rows").as_array();
    BOOST_REQUIRE(rows.size() == 3u); // 2024-01, 2024-02 (none), 2024-03
    BOOST_TEST(rows[1].as_object().at("month").as_string() == "2024-02");
    BOOST_TEST(n(rows[1].as_object(), "relevant") + n(rows[1].as_object(), "application") +
                   n(rows[1].as_object(), "irrelevant") ==
               0);
    BOOST_TEST(n(rows[2].as_object(), "relevant") == 1);
    BOOST_TEST(n(rows[2].as_object(), "application") == 1);
}

BOOST_AUTO_TEST_CASE(months_cross_years_and_ignore_bad_dates) {
    std::vector<report_item> items{item("A", verdict::relevant, {"Alpha"}, 9, "2023-11-01"),
                                   item("B", verdict::relevant, {"Alpha"}, 9, "2024-02-01"),
                                   item("C", verdict::relevant, {"Alpha"}, 9, "2024-13-01"),
                                   item("D", verdict::relevant, {"Alpha"}, 9, "yesterday")};
    json::object m = build_report_data(items, context()).at("months").as_object();
    BOOST_TEST(m.at("undated").as_int64() == 2);
    std::vector<std::string> months;
    for (const auto& r : m.at("rows").as_array())
        months.emplace_back(r.as_object().at("month").as_string());
    BOOST_TEST(months == (std::vector<std::string>{"2023-11", "2023-12", "2024-01", "2024-02"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(reading_lists_skip_opened_and_read_and_keep_the_best_fifty) {
    std::vector<report_item> items;
    for (int i = 0; i < 120; ++i) {
        auto it = item(std::to_string(1000 + i).insert(0, 1, 'K'), verdict::relevant, {"Alpha"},
                       1 + i % 10);
        it.confidence = (i % 7) / 7.0;
        it.opened = i % 5 == 0;
        it.tagged_read = i % 5 == 1;
        items.push_back(std::move(it));
    }
    items.push_back(item("APP", verdict::application, {"Alpha"}, 10));
    json::array reading = build_report_data(items, context()).at("reading").as_array();
    const json::object& alpha = row_of(reading, "topic", "Alpha");
    BOOST_TEST(alpha.at("relevant").as_int64() == 120);
    BOOST_TEST(alpha.at("unread").as_int64() == 72); // 120 less 24 opened and 24 read
    const json::array& shown = alpha.at("items").as_array();
    BOOST_REQUIRE(shown.size() == report_list_limit);
    for (std::size_t i = 1; i < shown.size(); ++i) {
        const auto& a = shown[i - 1].as_object();
        const auto& b = shown[i].as_object();
        BOOST_TEST(
            (a.at("score").as_int64() > b.at("score").as_int64() ||
             (a.at("score") == b.at("score") &&
              a.at("confidence").to_number<double>() >= b.at("confidence").to_number<double>())));
    }
    for (const auto& s : shown) {
        const std::string title(s.as_object().at("title").as_string());
        const int i = std::stoi(title.substr(title.size() - 4)) - 1000;
        BOOST_TEST(i % 5 > 1, title << " is opened or read");
    }
    BOOST_TEST(row_of(reading, "topic", "Beta").at("items").as_array().empty());
}

BOOST_AUTO_TEST_CASE(fields_are_named_only_when_judgments_name_them) {
    std::vector<report_item> items{item("A", verdict::application, {"Alpha"}, 5),
                                   item("B", verdict::application, {"Alpha"}, 5)};
    json::object f = build_report_data(items, context()).at("fields").as_object();
    BOOST_TEST(f.at("named").as_bool() == false);
    BOOST_TEST(f.at("unnamed").as_int64() == 2);
    for (int i = 0; i < 40; ++i) {
        auto it = item(std::to_string(i).insert(0, 1, 'F'), verdict::application, {"Alpha"}, 5);
        it.field = "field " + std::to_string(i % 35);
        items.push_back(std::move(it));
    }
    f = build_report_data(items, context()).at("fields").as_object();
    BOOST_TEST(f.at("named").as_bool());
    BOOST_TEST(f.at("rows").as_array().size() == report_field_limit);
    BOOST_TEST(f.at("rows").as_array()[0].as_object().at("items").as_int64() == 2);
    BOOST_TEST(f.at("other").as_int64() == 5); // 35 fields, the last 5 (1 item each) are "other"
    BOOST_TEST(f.at("unnamed").as_int64() == 2);
}

BOOST_AUTO_TEST_CASE(reason_comes_from_a_real_note) {
    classifier cl = classifier::create_default();
    paper p{"x",
            "A new attention mechanism for efficient transformers",
            "We propose a sparse attention architecture that reduces the cost of transformer "
            "language models.",
            "journalArticle",
            "",
            {}};
    judgment j = cl.judge(p);
    std::string reason = note_reason(j.note_html);
    BOOST_TEST(!reason.empty(), j.note_html);
    BOOST_TEST(reason.find('<') == std::string::npos);
    BOOST_TEST(j.note_html.find(reason.substr(0, 20)) != std::string::npos);
    BOOST_TEST(note_reason("<div><p>edited by hand</p></div>").empty());
    BOOST_TEST(note_reason("<p><strong>Why:</strong> a &amp; b &lt;c&gt;</p>") == "a & b <c>");
    BOOST_TEST(
        note_reason("<p><strong>Why:</strong> " + std::string(2000, 'x') + "</p>", 100).size() <=
        104u);
}

BOOST_AUTO_TEST_CASE(read_tags) {
    for (const char* yes : {"read", "Read", "_read", "#READ", " !read ", "status/read",
                            "status:read", "Status: read"})
        BOOST_TEST(is_read_tag(yes), yes);
    for (const char* no : {"to-read", "unread", "to read", "reading", "readme", "", "_"})
        BOOST_TEST(!is_read_tag(no), no);
}

BOOST_AUTO_TEST_CASE(input_lines_judgments_and_papers) {
    auto j = parse_report_line(
        R"({"id":"1/ABCD2345","verdict":"application","topics":["Alpha"],)"
        R"("score":7,"confidence":0.5,"judge":"sieve-local x","field":" remote sensing ",)"
        R"("note_html":"<p><strong>Why:</strong> because</p>","date_added":"2024-05-01"})");
    BOOST_REQUIRE(j);
    BOOST_TEST(!j->paper.has_value());
    BOOST_TEST(j->item.link == "zotero://select/library/items/ABCD2345");
    BOOST_TEST(j->item.field == "remote sensing");
    BOOST_TEST(j->item.score == 7);
    BOOST_TEST(j->item.date_added == "2024-05-01");
    auto g = parse_report_line(
        R"({"id":7,"verdict":"relevant","topics":[],"judge":"j","key":"ZZZZ9999","group_id":42})");
    BOOST_REQUIRE(g);
    BOOST_TEST(g->item.link == "zotero://select/groups/42/items/ZZZZ9999");
    auto p = parse_report_line(R"({"id":"p1","title":"A paper","abstract":null,"read":true})");
    BOOST_REQUIRE(p);
    BOOST_TEST(p->paper.has_value());
    BOOST_TEST(p->item.title == "A paper");
    BOOST_TEST(p->item.tagged_read);
    BOOST_TEST(p->item.link.empty());
    for (const char* bad :
         {"not json", "[1]", R"({"abstract":"no title"})",
          R"({"verdict":"maybe","topics":[],"judge":"j"})", R"({"verdict":"relevant","judge":"j"})",
          R"x({"title":"t","key":"javascript:alert(1)"})x", R"({"title":"t","read":"yes"})",
          R"({"title":5})"}) {
        auto r = parse_report_line(bad);
        BOOST_TEST(!r, bad);
        if (!r)
            BOOST_TEST(!r.error().empty());
    }
}

BOOST_AUTO_TEST_CASE(page_escapes_library_text_and_inlines_everything) {
    std::vector<report_item> items{item("A", verdict::relevant, {"Alpha"}, 9)};
    items[0].title = "</script><script>alert(1)</script> & <b>bold</b>";
    report_context c = context();
    c.title = "<Mine> & \"ours\"";
    std::string html = render_report_page(build_report_data(items, c));
    auto count = [&](std::string_view needle) {
        std::size_t k = 0;
        for (auto at = html.find(needle); at != std::string::npos; at = html.find(needle, at + 1))
            ++k;
        return k;
    };
    BOOST_TEST(count("<script") == 4u); // the data block, d3, Plot, the page script
    BOOST_TEST(count("</script>") == 4u);
    BOOST_TEST(
        html.find("<title>Sieve report \u2014 &lt;Mine&gt; &amp; &quot;ours&quot;</title>") !=
        std::string::npos);
    BOOST_TEST(html.find("Content-Security-Policy") != std::string::npos);
    const auto start = html.find("id=\"sieve-report-data\">") + 23;
    json::value data = json::parse(html.substr(start, html.find("</script>", start) - start));
    BOOST_TEST(data.at("meta").at("title").as_string() == c.title);
}

BOOST_AUTO_TEST_CASE(inlined_files_cannot_end_their_script_early) {
    for (std::string_view f :
         {embedded_report_d3_js(), embedded_report_plot_js(), embedded_report_page_js()}) {
        std::string lower(f);
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        BOOST_TEST(f.size() > 1000u);
        BOOST_TEST(lower.find("</script") == std::string::npos);
        BOOST_TEST(lower.find("<!--") == std::string::npos);
    }
    BOOST_TEST(embedded_report_page_css().find("</style") == std::string::npos);
    BOOST_TEST(script_safe_json(R"({"a":"</script>"})") == R"({"a":"\u003c/script>"})");
}
