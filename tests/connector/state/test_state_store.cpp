// Unit tests of connector/state/state_store: migrations, WAL, judgment cache, note records, feedback.
#define BOOST_TEST_MODULE state_store
#include "connector/state/state_store.hpp"

#include "tests/support/server_process.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

using namespace sieve;

BOOST_AUTO_TEST_CASE(embedded_sql_is_schema_state_sql_and_splits_into_ordered_migrations) {
    std::ifstream in(test::env_or_fail("SIEVE_SOURCE") + "/schema/state.sql");
    std::stringstream ss;
    ss << in.rdbuf();
    BOOST_TEST(ss.str() == std::string(embedded_state_sql()));
    auto m = split_migrations(embedded_state_sql());
    BOOST_REQUIRE(m.has_value());
    BOOST_TEST(m->front().version == 1);
    BOOST_TEST(m->front().sql.find("CREATE TABLE judgments") != std::string::npos);
    BOOST_TEST(!split_migrations("-- migration 2\nSELECT 1;\n").has_value());
    BOOST_TEST(!split_migrations("SELECT 1;\n").has_value());
    auto two = split_migrations("-- header\n-- migration 1\nA;\n-- migration 2\nB;\n");
    BOOST_REQUIRE(two.has_value());
    BOOST_TEST(two->size() == 2u);
    BOOST_TEST((*two)[1].sql == "B;\n");
}

BOOST_AUTO_TEST_CASE(open_migrates_once_and_uses_wal) {
    test::temp_dir dir;
    auto path = dir.path / "state.sqlite";
    auto latest = split_migrations(embedded_state_sql())->back().version;
    {
        auto s = state_store::open(path);
        BOOST_REQUIRE_MESSAGE(s.has_value(), s.error());
        BOOST_TEST((*s)->schema_version() == latest);
    }
    auto again = state_store::open(path); // already migrated: nothing runs twice
    BOOST_REQUIRE(again.has_value());
    SQLite::Database raw(path.string());
    BOOST_TEST(raw.execAndGet("PRAGMA journal_mode").getString() == "wal");
}

BOOST_AUTO_TEST_CASE(a_newer_or_foreign_file_is_refused) {
    test::temp_dir dir;
    {
        SQLite::Database raw((dir.path / "new.sqlite").string(),
                             SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        raw.exec("PRAGMA user_version = 999");
    }
    auto s = state_store::open(dir.path / "new.sqlite");
    BOOST_TEST(!s.has_value());
    BOOST_TEST(s.error().find("newer") != std::string::npos);
    std::ofstream(dir.path / "junk.sqlite") << "this is not a database, just some text....";
    BOOST_TEST(!state_store::open(dir.path / "junk.sqlite").has_value());
}

BOOST_AUTO_TEST_CASE(judgments_are_cached_per_item_and_versions) {
    test::temp_dir dir;
    auto opened = state_store::open(dir.path / "state.sqlite");
    BOOST_TEST_REQUIRE(opened.has_value());
    auto s = std::move(*opened);
    judgment_key k{1, "ABCD2345", "h1", "m1", "c1"};
    BOOST_TEST(!s->find_judgment(k).has_value());
    s->store_judgment(k, "{\"verdict\":\"relevant\"}");
    BOOST_TEST(s->find_judgment(k).value() == "{\"verdict\":\"relevant\"}");
    judgment_key other_criteria = k;
    other_criteria.criteria_version = "c2";
    BOOST_TEST(!s->find_judgment(other_criteria).has_value());
    s->store_judgment(other_criteria, "{}"); // replaces the item's older entry
    BOOST_TEST(!s->find_judgment(k).has_value());
    BOOST_TEST(s->find_judgment(other_criteria).has_value());
}

BOOST_AUTO_TEST_CASE(note_records_and_feedback) {
    test::temp_dir dir;
    auto opened = state_store::open(dir.path / "state.sqlite");
    BOOST_TEST_REQUIRE(opened.has_value());
    auto s = std::move(*opened);
    s->record_note(1, "ITEM0001", "NOTE0001", "aaaa");
    s->record_note(1, "ITEM0001", "NOTE0001", "bbbb");
    s->record_note(2, "ITEM0001", "NOTE0002", "cccc");
    auto notes = s->written_notes(1, "ITEM0001");
    BOOST_REQUIRE(notes.size() == 1u);
    BOOST_TEST(notes[0].html_hash == "bbbb");
    feedback_entry f;
    f.library_id = 1;
    f.item_key = "ITEM0001";
    f.verdict = "relevant";
    f.topics = {"Model Architecture"};
    auto id = s->add_feedback(f);
    BOOST_REQUIRE(id.has_value());
    f.verdict = "maybe"; // violates the CHECK constraint
    BOOST_TEST(!s->add_feedback(f).has_value());
    BOOST_TEST(s->feedback_count() == 1);
    // Withdrawn rows are not counted.
    f.verdict = "irrelevant";
    BOOST_REQUIRE(s->add_feedback(f).has_value()); // the same item again: two rows
    BOOST_TEST(s->feedback_count() == 2);
    auto one = s->withdraw_feedback(*id);
    BOOST_TEST((one && *one));
    BOOST_TEST(s->feedback_count() == 1);
    auto all = s->withdraw_all_feedback();
    BOOST_TEST((all && *all == 1));
    BOOST_TEST(s->feedback_count() == 0);
}
