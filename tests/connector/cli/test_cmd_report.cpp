// `sieve report` as a user runs it ($SIEVE_BIN): usage and input errors write nothing; the data in
// the page equals the judgments (of `sieve classify`, of the state store) over a real Zotero 7
// library and the corpus; opened items are not proposed for reading; stored judgments are used.
// The page in a browser: report/test/report.test.js.
#define BOOST_TEST_MODULE cmd_report
#include "classifier/classifier.hpp"
#include "connector/jobs/judge_item.hpp"
#include "connector/state/state_store.hpp"
#include "connector/wire/paper_json.hpp"
#include "connector/zotero/zotero_reader.hpp"
#include "tests/support/cli_test_util.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <set>

namespace json = boost::json;
using namespace sieve_test;

namespace {

fs::path imaging() {
    return shared_dir() / "zotero-libraries" / "zotero7-schema123-imaging.sqlite";
}

// The report data embedded in a page.
json::object page_data(const fs::path& html) {
    const std::string page = file_bytes(html);
    const std::string open = "<script type=\"application/json\" id=\"sieve-report-data\">";
    const auto start = page.find(open);
    BOOST_REQUIRE(start != std::string::npos);
    const auto begin = start + open.size();
    return json::parse(page.substr(begin, page.find("</script>", begin) - begin)).as_object();
}

std::int64_t count(const json::object& row, const char* verdict) {
    return row.at(verdict).as_int64();
}

// Totals and per-topic counts as the report should have them, from judgment lines.
struct tally {
    std::map<std::string, std::int64_t> verdicts;
    std::map<std::string, std::map<std::string, std::int64_t>> topics; // topic -> verdict -> n
    void add(const json::object& j) {
        const std::string v(j.at("verdict").as_string());
        ++verdicts[v];
        for (const auto& t : j.at("topics").as_array())
            ++topics[std::string(t.as_string())][v];
    }
    void expect_in(const json::object& data) const {
        for (const char* v : {"relevant", "application", "irrelevant"}) {
            BOOST_TEST(count(data.at("totals").as_object(), v) ==
                           (verdicts.count(v) ? verdicts.at(v) : 0),
                       v);
        }
        std::size_t seen = 0;
        for (const auto& row : data.at("topics").as_array()) {
            const std::string t(row.at("topic").as_string());
            if (!topics.count(t))
                continue;
            ++seen;
            for (const char* v : {"relevant", "application", "irrelevant"})
                BOOST_TEST(count(row.as_object(), v) ==
                               (topics.at(t).count(v) ? topics.at(t).at(v) : 0),
                           t << ' ' << v);
        }
        BOOST_TEST(seen == topics.size());
    }
};

std::string report_args(const std::string& source, const fs::path& out,
                        const std::string& more = "") {
    return "report " + source + " --out " + quoted(out.string()) + " " + more;
}

} // namespace

BOOST_AUTO_TEST_CASE(usage_errors_write_nothing) {
    temp_dir tmp;
    const fs::path out = tmp / "r.html";
    const std::string db = "--db " + quoted(imaging().string());
    for (const std::string& args :
         {std::string("report --out " + quoted(out.string())),
          report_args(db + " --input x.jsonl", out), std::string("report " + db),
          report_args(db + " --collection ABCD2345", out), report_args(db, out, "--no-such-option"),
          report_args("--input x.jsonl", out, "--library 1")}) {
        BOOST_TEST_CONTEXT(args) {
            const run_result r = run_sieve(tmp, args);
            BOOST_TEST(r.code == 2);
            BOOST_TEST(!r.err.empty());
            BOOST_TEST(!fs::exists(out));
        }
    }
    BOOST_TEST(run_sieve(tmp, "report --help").code == 0);
    const run_result none =
        run_sieve(tmp, report_args("--input " + quoted((tmp / "absent.jsonl").string()), out));
    BOOST_TEST(none.code == 2);
    BOOST_TEST(none.err.find("cannot read") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(database_errors_exit_3_and_unknown_scopes_exit_2) {
    temp_dir tmp;
    const fs::path out = tmp / "r.html";
    const std::string snap = "--snapshot-dir " + quoted((tmp / "snap").string());
    BOOST_TEST(
        run_sieve(tmp, report_args("--db " + quoted((tmp / "absent.sqlite").string()), out, snap))
            .code == 3);
    const std::string db = "--db " + quoted(imaging().string());
    const run_result lib = run_sieve(tmp, report_args(db, out, snap + " --library 99"));
    BOOST_TEST(lib.code == 2);
    BOOST_TEST(lib.err.find("no library 99") != std::string::npos, lib.err);
    const run_result coll =
        run_sieve(tmp, report_args(db, out, snap + " --library 1 --collection ZZZZ9999"));
    BOOST_TEST(coll.code == 2);
    BOOST_TEST(coll.err.find("no collection ZZZZ9999") != std::string::npos, coll.err);
    BOOST_TEST(!fs::exists(out));
}

BOOST_AUTO_TEST_CASE(a_bad_input_line_leaves_the_old_report) {
    temp_dir tmp;
    const fs::path in = tmp / "in.jsonl", out = tmp / "r.html";
    write_file(in, "{\"title\":\"fine\",\"abstract\":\"ok\"}\n{\"title\": 3}\nnot json\n");
    write_file(out, "old report");
    const run_result r = run_sieve(tmp, report_args("--input " + quoted(in.string()), out));
    BOOST_TEST(r.code == 4);
    BOOST_TEST(r.err.find("line 2") != std::string::npos, r.err);
    BOOST_TEST(r.err.find("line 3") != std::string::npos, r.err);
    BOOST_TEST(file_bytes(out) == "old report");
    BOOST_TEST(!fs::exists(tmp / "r.html.partial"));
}

// The same 300 corpus papers, as papers (judged by the report) and as the judgments
// `sieve classify` made of them, give the same report; its counts are those judgments'.
BOOST_AUTO_TEST_CASE(input_judgments_and_papers_agree_with_classify) {
    temp_dir tmp;
    const auto corpus = file_lines(shared_dir() / "corpus" / "validation.jsonl");
    std::string papers;
    for (std::size_t i = 0; i < 300 && i < corpus.size(); ++i)
        papers += corpus[i] + "\n";
    write_file(tmp / "papers.jsonl", papers);
    const run_result c =
        run_sieve(tmp, "classify --input " + quoted((tmp / "papers.jsonl").string()));
    BOOST_REQUIRE(c.code == 0);
    write_file(tmp / "judgments.jsonl", c.out);
    tally expected;
    for (const auto& line : lines_of(c.out))
        if (!line.empty())
            expected.add(json::parse(line).as_object());
    for (const char* name : {"papers.jsonl", "judgments.jsonl"}) {
        BOOST_TEST_CONTEXT(name) {
            const fs::path out = tmp / (std::string(name) + ".html");
            const run_result r =
                run_sieve(tmp, report_args("--input " + quoted((tmp / name).string()), out));
            BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
            json::object d = page_data(out);
            BOOST_TEST(d.at("totals").at("items").as_int64() == 300);
            expected.expect_in(d);
            BOOST_TEST(d.at("meta").at("judged_now").as_int64() == (name[0] == 'p' ? 300 : 0));
            BOOST_TEST(d.at("months").at("undated").as_int64() == 300);
            // every application judgment names the field it applies ML to (the notes' field heads)
            const json::object& f = d.at("fields").as_object();
            BOOST_TEST(f.at("named").as_bool());
            BOOST_TEST(f.at("unnamed").as_int64() == 0);
            std::int64_t in_fields = f.at("other").as_int64();
            for (const auto& row : f.at("rows").as_array())
                in_fields += row.at("items").as_int64();
            BOOST_TEST(in_fields == expected.verdicts["application"]);
        }
    }
}

// The imaging library: every regular item once, dates added by month, no opened item proposed.
BOOST_AUTO_TEST_CASE(a_real_library) {
    temp_dir tmp;
    const fs::path out = tmp / "r.html";
    const run_result r =
        run_sieve(tmp, report_args("--db " + quoted(imaging().string()), out,
                                   "--snapshot-dir " + quoted((tmp / "snap").string())));
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    BOOST_TEST(r.out.find("report: ") == 0u, r.out);
    json::object d = page_data(out);
    auto lib =
        sieve::read_zotero_library(imaging(), {tmp / "snap2", std::chrono::milliseconds(8000)});
    BOOST_REQUIRE(lib);
    BOOST_TEST(d.at("totals").at("items").as_int64() ==
               static_cast<std::int64_t>(lib->items.size()));
    BOOST_TEST(d.at("meta").at("from_cache").as_int64() == 0);
    BOOST_TEST(d.at("meta").at("reading_known").as_bool());
    SQLite::Database db("file:" + imaging().string() + "?immutable=1",
                        SQLite::OPEN_READONLY | SQLite::OPEN_URI);
    std::set<std::string> opened;
    SQLite::Statement q(db,
                        "SELECT p.key FROM itemAttachments a JOIN items i ON i.itemID = a.itemID "
                        "JOIN items p ON p.itemID = a.parentItemID JOIN syncedSettings s "
                        "ON s.setting = 'lastPageIndex_u_' || i.key");
    while (q.executeStep())
        opened.insert(q.getColumn(0).getString());
    BOOST_TEST(!opened.empty());
    std::int64_t dated = 0;
    for (const auto& m : d.at("months").at("rows").as_array())
        for (const char* v : {"relevant", "application", "irrelevant"})
            dated += m.at(v).as_int64();
    BOOST_TEST(dated + d.at("months").at("undated").as_int64() ==
               d.at("totals").at("items").as_int64());
    BOOST_TEST(d.at("months").at("undated").as_int64() == 0);
    std::size_t listed = 0;
    for (const auto& topic : d.at("reading").as_array())
        for (const auto& it : topic.at("items").as_array()) {
            const std::string link(it.at("link").as_string());
            BOOST_TEST(link.starts_with("zotero://select/library/items/"), link);
            BOOST_TEST(opened.count(link.substr(link.size() - 8)) == 0u, link << " was opened");
            ++listed;
        }
    BOOST_TEST_MESSAGE("listed " << listed << " unread relevant items; " << opened.size()
                                 << " opened");
}

// A judgment stored by `sieve serve` for the item's current content is the one reported (with
// its date and its field); the rest are judged now.
BOOST_AUTO_TEST_CASE(stored_judgments_are_used) {
    temp_dir tmp;
    auto lib =
        sieve::read_zotero_library(imaging(), {tmp / "snap", std::chrono::milliseconds(8000)});
    BOOST_REQUIRE(lib && !lib->items.empty());
    const sieve::zotero_item& z = lib->items.front();
    const sieve::classifier cl = sieve::classifier::create_default();
    const sieve::paper p = sieve::paper_from_item(z, "sieve/");
    json::object j = sieve::judgment_json(p.id, cl.judge(p), cl.active_criteria());
    j["verdict"] = "application";
    j["field"] = "satellite imaging";
    fs::create_directories(tmp / "state");
    {
        auto store = sieve::state_store::open(tmp / "state" / "state.sqlite");
        BOOST_REQUIRE(store);
        (*store)->store_judgment({z.library_id, z.key, sieve::content_hash(p), cl.model_version(),
                                  cl.criteria_version()},
                                 json::serialize(j));
    }
    const fs::path out = tmp / "r.html";
    const run_result r =
        run_sieve(tmp, report_args("--db " + quoted(imaging().string()), out,
                                   "--snapshot-dir " + quoted((tmp / "snap").string()) +
                                       " --state-dir " + quoted((tmp / "state").string())));
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    json::object d = page_data(out);
    BOOST_TEST(d.at("meta").at("from_cache").as_int64() == 1);
    BOOST_TEST(d.at("meta").at("judged_now").as_int64() ==
               static_cast<std::int64_t>(lib->items.size()) - 1);
    const json::object& f = d.at("fields").as_object();
    BOOST_TEST(f.at("named").as_bool());
    // the stored judgment's own field, beside the fields of the items judged now
    std::int64_t stored_field = 0;
    for (const auto& row : f.at("rows").as_array())
        if (row.at("field").as_string() == "satellite imaging")
            stored_field += row.at("items").as_int64();
    BOOST_TEST(stored_field == 1);
    BOOST_TEST(!d.at("judged").at("first").is_null());
}
