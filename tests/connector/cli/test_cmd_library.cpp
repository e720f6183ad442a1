// `sieve library` as a user runs it ($SIEVE_BIN): output formats, exit codes, one-line errors,
// and the user's database left untouched.
#define BOOST_TEST_MODULE cmd_library
#include "connector/zotero/zotero_reader.hpp"
#include "tests/support/cli_test_util.hpp"
#include "tests/support/zotero_test_util.hpp"

#include <boost/json.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/wait.h>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace sieve_test;

namespace {


void expect_database_error(const temp_dir& tmp, const fs::path& db, const std::string& what) {
    BOOST_TEST_CONTEXT(what) {
        const run_result r =
            run_sieve(tmp, "library --db " + quoted(db.string()) + " --snapshot-dir " +
                               quoted((tmp / "snap").string()));
        BOOST_TEST(r.code == 3);
        BOOST_TEST(r.out.empty());
        BOOST_TEST(!r.err.empty());
        BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1); // exactly one line
        BOOST_TEST(r.err.find(what) != std::string::npos, "stderr: " << r.err);
    }
}

} // namespace

BOOST_AUTO_TEST_CASE(broken_databases_exit_3_with_one_line) {
    temp_dir tmp;
    const fs::path real = real_libraries().back();
    expect_database_error(tmp, tmp / "absent.sqlite", "does not exist");
    std::ofstream(tmp / "empty.sqlite").close();
    expect_database_error(tmp, tmp / "empty.sqlite", "is empty");
    std::ofstream(tmp / "text.sqlite") << "these are not the tables you are looking for\n";
    expect_database_error(tmp, tmp / "text.sqlite", "not an SQLite database");
    std::ofstream(tmp / "truncated.sqlite", std::ios::binary) << file_bytes(real).substr(0, 300000);
    expect_database_error(tmp, tmp / "truncated.sqlite", "damaged");
    {
        SQLite::Database other((tmp / "other.sqlite").string(),
                               SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
    }
    expect_database_error(tmp, tmp / "other.sqlite", "not a Zotero database");
    expect_database_error(tmp, tmp.path(), "not a regular file");
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2) {
    temp_dir tmp;
    BOOST_TEST(run_sieve(tmp, "library --no-such-option").code == 2);
    BOOST_TEST(run_sieve(tmp, "library --db x.sqlite --format xml").code == 2);
    BOOST_TEST(run_sieve(tmp, "library --help").code == 0);
}

BOOST_AUTO_TEST_CASE(jsonl_has_one_object_per_item) {
    for (const fs::path& real : real_libraries()) {
        BOOST_TEST_CONTEXT(real.filename().string()) {
            temp_dir tmp;
            const fingerprint before(real);
            const auto lib = sieve::read_zotero_library(real, {tmp / "api", {}});
            BOOST_REQUIRE(lib.has_value());
            const run_result r =
                run_sieve(tmp, "library --format jsonl --db " + quoted(real.string()) +
                                   " --snapshot-dir " + quoted((tmp / "snap").string()));
            BOOST_REQUIRE_EQUAL(r.code, 0);
            BOOST_TEST(r.err.empty());
            std::istringstream lines(r.out);
            std::size_t n = 0;
            for (std::string line; std::getline(lines, line); ++n) {
                const json::object o = json::parse(line).as_object();
                BOOST_REQUIRE(n < lib->items.size());
                const auto& it = lib->items[n];
                BOOST_TEST(o.at("key").as_string() == it.key);
                BOOST_TEST(o.at("library_id").as_int64() == it.library_id);
                BOOST_TEST(o.at("tags").as_array().size() == it.tags.size());
                BOOST_TEST(o.at("notes").as_array().size() == it.notes.size());
                // Stripped text in "abstract"; the stored one in "abstract_raw" only if different.
                if (o.contains("abstract_raw")) {
                    BOOST_TEST(o.at("abstract_raw").as_string() == it.abstract);
                    BOOST_TEST(o.at("abstract").as_string() != it.abstract);
                } else {
                    BOOST_TEST(o.at("abstract").as_string() == it.abstract);
                }
            }
            BOOST_TEST(n == lib->items.size());
            BOOST_TEST(before == fingerprint(real));
        }
    }
}

BOOST_AUTO_TEST_CASE(table_format_and_default_snapshot_dir) {
    temp_dir tmp;
    const fs::path db = copy_into(real_libraries().front(), tmp / "Zotero", "zotero.sqlite");
    fs::last_write_time(db, fs::file_time_type::clock::now() - std::chrono::hours(1));
    const fingerprint before(db);
    const run_result r = run_sieve(tmp, "library --db " + quoted(db.string()),
                                   "XDG_CACHE_HOME=" + quoted((tmp / "cache").string()));
    BOOST_REQUIRE_EQUAL(r.code, 0);
    BOOST_TEST(r.out.find(" items\n") != std::string::npos);
    const auto snapshots = listing(tmp / "cache" / "sieve"); // one copy and its record
    BOOST_REQUIRE_EQUAL(snapshots.size(), 2u);
    BOOST_TEST(snapshots.begin()->ends_with(".sqlite"));
    BOOST_TEST(std::next(snapshots.begin())->ends_with(".sqlite.id"));
    BOOST_TEST(before == fingerprint(db));
    const run_result found = run_sieve(tmp, "library --format jsonl",
                                       "SIEVE_ZOTERO_DIR=" + quoted(db.parent_path().string()) +
                                           " XDG_CACHE_HOME=" + quoted((tmp / "cache").string()));
    BOOST_TEST(found.code == 0);
    BOOST_TEST(!found.out.empty());
}
