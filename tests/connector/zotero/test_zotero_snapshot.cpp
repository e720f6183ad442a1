// The snapshot protocol while another connection holds the database: exclusive lock, open write
// transaction, hot journals that go away or stay. The source stays byte-identical throughout.
#define BOOST_TEST_MODULE zotero_snapshot
#include "connector/zotero/zotero_reader.hpp"
#include "connector/zotero/zotero_snapshot.hpp"
#include "tests/support/zotero_test_util.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <thread>

namespace fs = std::filesystem;
using namespace sieve_test;
using std::chrono::milliseconds;

namespace {

const std::string journal_magic("\xd9\xd5\x05\xf9\x20\xa1\x63\xd7", 8);

// A writable copy of the largest shared library, modified an hour ago (so not "being written").
fs::path library_copy(const temp_dir& tmp) {
    const fs::path db = copy_into(real_libraries().back(), tmp / "Zotero", "zotero.sqlite");
    fs::last_write_time(db, fs::file_time_type::clock::now() - std::chrono::hours(1));
    return db;
}

sieve::zotero_library read_ok(const fs::path& db, const fs::path& snapshots, milliseconds timeout) {
    std::string why;
    auto lib = sieve::read_zotero_library(db, {snapshots, timeout}, &why);
    BOOST_REQUIRE_MESSAGE(lib.has_value(), why);
    return std::move(*lib);
}

std::vector<std::string> titles(const sieve::zotero_library& lib) {
    std::vector<std::string> out;
    for (const auto& it : lib.items)
        out.push_back(it.title);
    return out;
}

// Holds `db` like Zotero does: exclusive locking mode and a write transaction that changed titles.
struct zotero_like_writer {
    SQLite::Database conn;
    zotero_like_writer(const fs::path& db, bool spill) : conn(db.string(), SQLite::OPEN_READWRITE) {
        conn.exec("PRAGMA locking_mode=EXCLUSIVE");
        if (spill)
            conn.exec("PRAGMA cache_size=1"); // forces changed pages into the file
        conn.exec("BEGIN EXCLUSIVE");
        conn.exec("UPDATE itemDataValues SET value = 'uncommitted ' || value");
    }
    ~zotero_like_writer() { conn.exec("ROLLBACK"); }
};

void write_file(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary) << bytes;
}

} // namespace

BOOST_AUTO_TEST_CASE(ordinary_reader_is_locked_out_but_snapshot_works) {
    temp_dir tmp;
    const fs::path db = library_copy(tmp);
    const auto expected = titles(read_ok(db, tmp / "ref", milliseconds(2000)));
    zotero_like_writer writer(db, false);
    BOOST_CHECK_THROW(
        {
            SQLite::Database plain(db.string(), SQLite::OPEN_READONLY);
            SQLite::Statement(plain, "SELECT count(*) FROM items").executeStep();
        },
        SQLite::Exception);
    const fingerprint before(db);
    const auto lib = read_ok(db, tmp / "snap", milliseconds(2000));
    BOOST_TEST(titles(lib) == expected, boost::test_tools::per_element()); // committed state
    BOOST_TEST(before == fingerprint(db));
}

BOOST_AUTO_TEST_CASE(hot_journal_of_a_long_transaction_is_rolled_back_on_the_copy) {
    temp_dir tmp;
    const fs::path db = library_copy(tmp);
    const auto expected = titles(read_ok(db, tmp / "ref", milliseconds(2000)));
    zotero_like_writer writer(db, true);
    BOOST_REQUIRE(fs::exists(fs::path(db.string() + "-journal")));
    BOOST_REQUIRE(file_bytes(db.string() + "-journal").substr(0, 8) == journal_magic);
    std::this_thread::sleep_for(milliseconds(150)); // let the files settle
    const fingerprint before(db);
    const std::string journal_before = file_bytes(db.string() + "-journal");
    const auto start = std::chrono::steady_clock::now();
    const auto lib = read_ok(db, tmp / "snap", milliseconds(1000));
    BOOST_TEST((std::chrono::steady_clock::now() - start >= milliseconds(500))); // waited first
    BOOST_TEST(titles(lib) == expected, boost::test_tools::per_element());
    BOOST_TEST(before == fingerprint(db));
    BOOST_TEST(journal_before == file_bytes(db.string() + "-journal"));
    const std::string name = lib.snapshot.filename().string(); // no -journal left beside it
    BOOST_TEST((listing(tmp / "snap") == std::set<std::string>{name, name + ".id"}));
}

BOOST_AUTO_TEST_CASE(reader_waits_while_a_hot_journal_is_present) {
    temp_dir tmp;
    const fs::path db = library_copy(tmp);
    const auto expected = titles(read_ok(db, tmp / "ref", milliseconds(2000)));
    const fs::path journal = db.string() + "-journal";
    write_file(journal, journal_magic + std::string(504, '\0'));
    fs::last_write_time(journal, fs::file_time_type::clock::now() - std::chrono::hours(1));
    std::thread remover([&] {
        std::this_thread::sleep_for(milliseconds(400));
        fs::remove(journal);
    });
    const auto start = std::chrono::steady_clock::now();
    const auto lib = read_ok(db, tmp / "snap", milliseconds(4000));
    const auto waited = std::chrono::steady_clock::now() - start;
    remover.join();
    BOOST_TEST((waited >= milliseconds(400)));
    BOOST_TEST((waited < milliseconds(2000))); // did not need the rollback fallback
    BOOST_TEST(titles(lib) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(multi_file_commit_that_never_ends_is_reported_locked) {
    temp_dir tmp;
    const fs::path db = library_copy(tmp);
    write_file(db.string() + "-journal", journal_magic + std::string(504, '\0') + journal_magic);
    std::string why;
    const auto lib = sieve::read_zotero_library(db, {tmp / "snap", milliseconds(600)}, &why);
    BOOST_REQUIRE(!lib.has_value());
    BOOST_TEST(lib.error() == sieve::make_error_code(sieve::zotero_errc::locked));
    BOOST_TEST(why.find('\n') == std::string::npos);
    BOOST_TEST(!why.empty());
}

BOOST_AUTO_TEST_CASE(file_being_written_is_copied_once_it_settles) {
    temp_dir tmp;
    const fs::path db = library_copy(tmp);
    fs::last_write_time(db, fs::file_time_type::clock::now()); // "just modified"
    const auto snap = sieve::take_snapshot(db, {tmp / "snap", milliseconds(2000), {}});
    BOOST_REQUIRE(snap.has_value());
    BOOST_TEST(!snap->reused);
    BOOST_TEST(file_bytes(snap->path) == file_bytes(db));
}

BOOST_AUTO_TEST_CASE(snapshot_dir_beside_the_database_is_refused) {
    temp_dir tmp;
    const fs::path db = library_copy(tmp);
    const auto before = listing(db.parent_path());
    std::string why;
    const auto snap = sieve::take_snapshot(db, {db.parent_path(), milliseconds(500), {}}, &why);
    BOOST_REQUIRE(!snap.has_value());
    BOOST_TEST(snap.error() == sieve::make_error_code(sieve::zotero_errc::io));
    BOOST_TEST((listing(db.parent_path()) == before));
}

BOOST_AUTO_TEST_CASE(wal_content_is_applied_to_the_copy) {
    temp_dir tmp;
    const fs::path db = library_copy(tmp);
    const auto before_wal = read_ok(db, tmp / "ref", milliseconds(2000)).items.size();
    {
        SQLite::Database w(db.string(), SQLite::OPEN_READWRITE);
        w.exec("PRAGMA journal_mode=WAL");
        w.exec("PRAGMA wal_autocheckpoint=0");
        w.exec("DELETE FROM items WHERE itemID = (SELECT min(itemID) FROM items WHERE itemID "
               "NOT IN (SELECT itemID FROM itemAttachments UNION SELECT itemID FROM itemNotes "
               "UNION SELECT itemID FROM itemAnnotations UNION SELECT itemID FROM deletedItems))");
        // Keep the connection (and thus the WAL) open while reading.
        std::this_thread::sleep_for(milliseconds(150));
        BOOST_REQUIRE(fs::file_size(db.string() + "-wal") > 0u);
        const auto lib = read_ok(db, tmp / "snap", milliseconds(2000));
        BOOST_TEST(lib.items.size() == before_wal - 1);
    }
}

BOOST_AUTO_TEST_CASE(new_copies_are_read_while_verified_and_a_failed_check_wins) {
    temp_dir tmp;
    const fs::path db = library_copy(tmp);
    int reads = 0;
    const sieve::snapshot_options options{tmp / "snap", milliseconds(2000),
                                          [&](const fs::path& copy) {
                                              ++reads;
                                              BOOST_TEST(fs::exists(copy));
                                          }};
    const auto first = sieve::take_snapshot(db, options);
    BOOST_REQUIRE(first.has_value());
    BOOST_TEST((first->read_done && !first->reused && reads == 1));
    const auto again = sieve::take_snapshot(db, options);
    BOOST_REQUIRE(again.has_value());
    BOOST_TEST((!again->read_done && again->reused && reads == 1)); // nothing new to read

    // Damage a page the reader never visits: the concurrent read succeeds, quick_check does not.
    const std::int64_t page = [&] {
        SQLite::Database conn(db.string(), SQLite::OPEN_READONLY);
        return conn.execAndGet("SELECT rootpage FROM sqlite_master WHERE name = 'syncedSettings'")
            .getInt64();
    }();
    {
        std::fstream f(db, std::ios::binary | std::ios::in | std::ios::out);
        f.seekp((page - 1) * 4096);
        f.put('\0'); // not a valid b-tree page type
    }
    fs::last_write_time(db, fs::file_time_type::clock::now() - std::chrono::hours(1));
    std::string why;
    const auto lib = sieve::read_zotero_library(db, {tmp / "damaged", milliseconds(2000)}, &why);
    BOOST_REQUIRE(!lib.has_value());
    BOOST_TEST(lib.error() == sieve::make_error_code(sieve::zotero_errc::corrupt));
    BOOST_TEST(why.find("quick_check") != std::string::npos, why);
    BOOST_TEST(why.find('\n') == std::string::npos); // one line
    BOOST_TEST(listing(tmp / "damaged").empty());    // no copy left behind
}
