// The snapshot cache (issue 17): a reused snapshot is checked against what it was made from, and a
// damaged or replaced one is discarded and copied afresh instead of being served or blamed on the
// user's database; a change to the database that keeps its size and mtime is still noticed.
// Real libraries from $SIEVE_SHARED, copied before anything is changed.
#define BOOST_TEST_MODULE snapshot_cache
#include "connector/zotero/library_cache.hpp"
#include "connector/zotero/zotero_reader.hpp"
#include "connector/zotero/zotero_snapshot.hpp"
#include "tests/support/zotero_test_util.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>

namespace fs = std::filesystem;
using namespace sieve_test;
using std::chrono::milliseconds;

namespace {

fs::path library_copy(const temp_dir& tmp, const fs::path& from) {
    const fs::path db = copy_into(from, tmp / "Zotero", "zotero.sqlite");
    fs::last_write_time(db, fs::file_time_type::clock::now() - std::chrono::hours(1));
    return db;
}

sieve::zotero_library read_ok(const fs::path& db, const fs::path& snapshots) {
    std::string why;
    auto lib = sieve::read_zotero_library(db, {snapshots, milliseconds(3000)}, &why);
    BOOST_REQUIRE_MESSAGE(lib.has_value(), why);
    return std::move(*lib);
}

std::vector<std::string> keys_and_titles(const sieve::zotero_library& lib) {
    std::vector<std::string> out;
    for (const auto& it : lib.items)
        out.push_back(std::to_string(it.library_id) + "/" + it.key + " " + it.title);
    return out;
}

// The first regular item's title field value and its ID in itemDataValues.
std::pair<std::int64_t, std::string> first_title(SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT v.valueID, v.value FROM itemData d JOIN itemDataValues v "
                            "USING (valueID) JOIN fields f USING (fieldID) WHERE f.fieldName = "
                            "'title' ORDER BY d.itemID LIMIT 1");
    BOOST_REQUIRE(q.executeStep());
    return {q.getColumn(0).getInt64(), q.getColumn(1).getString()};
}

// Changes one title to another of the same length, in place, and puts the file's mtime back:
// the same size and mtime, different content (as a restore or a sync tool can leave it).
std::string change_keeping_size_and_mtime(const fs::path& db) {
    const auto size = fs::file_size(db);
    const auto mtime = fs::last_write_time(db);
    std::string changed;
    {
        SQLite::Database w(db.string(), SQLite::OPEN_READWRITE);
        auto [id, title] = first_title(w);
        changed = title;
        changed[0] = changed[0] == 'X' ? 'Y' : 'X';
        SQLite::Statement u(w, "UPDATE itemDataValues SET value = ? WHERE valueID = ?");
        u.bind(1, changed);
        u.bind(2, id);
        u.exec();
    }
    fs::last_write_time(db, mtime);
    BOOST_REQUIRE(fs::file_size(db) == size);
    BOOST_REQUIRE(fs::last_write_time(db) == mtime);
    return changed;
}

bool has_title(const sieve::zotero_library& lib, const std::string& title) {
    for (const auto& it : lib.items)
        if (it.title == title)
            return true;
    return false;
}

} // namespace

BOOST_AUTO_TEST_CASE(a_truncated_snapshot_is_copied_afresh_not_blamed_on_the_database) {
    temp_dir tmp;
    const fs::path db = library_copy(tmp, real_libraries().back());
    const auto first = read_ok(db, tmp / "snap");
    fs::resize_file(first.snapshot, fs::file_size(first.snapshot) / 2);
    const fingerprint before(db);
    const auto again = read_ok(db, tmp / "snap");
    BOOST_TEST(!again.snapshot_reused);
    BOOST_TEST(keys_and_titles(again) == keys_and_titles(first), boost::test_tools::per_element());
    BOOST_TEST(before == fingerprint(db));
}

BOOST_AUTO_TEST_CASE(a_snapshot_damaged_in_place_is_copied_afresh) {
    temp_dir tmp;
    const fs::path db = library_copy(tmp, real_libraries().back());
    const auto first = read_ok(db, tmp / "snap");
    const std::int64_t page = [&] {
        SQLite::Database conn(db.string(), SQLite::OPEN_READONLY);
        return conn.execAndGet("SELECT rootpage FROM sqlite_master WHERE name = 'itemDataValues'")
            .getInt64();
    }();
    const auto mtime = fs::last_write_time(first.snapshot);
    {
        std::fstream f(first.snapshot, std::ios::binary | std::ios::in | std::ios::out);
        f.seekp((page - 1) * 4096);
        f.put('\0'); // not a b-tree page type: any read of the table fails
    }
    fs::last_write_time(first.snapshot, mtime); // size and mtime as they were
    const auto again = read_ok(db, tmp / "snap");
    BOOST_TEST(!again.snapshot_reused);
    BOOST_TEST(keys_and_titles(again) == keys_and_titles(first), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_snapshot_replaced_by_another_zotero_file_serves_the_right_library) {
    temp_dir tmp;
    const auto libraries = real_libraries();
    const fs::path db = library_copy(tmp, libraries.back());
    const auto first = read_ok(db, tmp / "snap");
    fs::copy_file(libraries.front(), first.snapshot, fs::copy_options::overwrite_existing);
    const auto again = read_ok(db, tmp / "snap");
    BOOST_TEST(keys_and_titles(again) == keys_and_titles(first), boost::test_tools::per_element());
    // A stray file under a snapshot's name, with no record of where it came from, is not used.
    fs::copy_file(libraries.front(), again.snapshot, fs::copy_options::overwrite_existing);
    for (const auto& e : fs::directory_iterator(tmp / "snap"))
        if (e.path() != again.snapshot)
            fs::remove(e.path());
    const auto third = read_ok(db, tmp / "snap");
    BOOST_TEST(keys_and_titles(third) == keys_and_titles(first), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_change_keeping_size_and_mtime_makes_a_new_snapshot) {
    temp_dir tmp;
    const fs::path db = library_copy(tmp, real_libraries().back());
    const auto first = read_ok(db, tmp / "snap");
    const std::string changed = change_keeping_size_and_mtime(db);
    BOOST_REQUIRE(!has_title(first, changed));
    const auto again = read_ok(db, tmp / "snap");
    BOOST_TEST(!again.snapshot_reused);
    BOOST_TEST(has_title(again, changed));
}

BOOST_AUTO_TEST_CASE(the_library_cache_notices_a_change_keeping_size_and_mtime) {
    temp_dir tmp;
    const fs::path db = library_copy(tmp, real_libraries().back());
    sieve::library_cache cache(db, {tmp / "snap", milliseconds(3000)});
    const auto first = cache.get();
    BOOST_REQUIRE_MESSAGE(first.library, first.error);
    const std::string changed = change_keeping_size_and_mtime(db);
    const auto again = cache.get();
    BOOST_REQUIRE_MESSAGE(again.library, again.error);
    BOOST_TEST(has_title(*again.library, changed));
    // Replacing the file by a copy of itself (a new inode, same size and mtime) is a change too.
    const auto size = fs::file_size(db);
    const auto mtime = fs::last_write_time(db);
    fs::copy_file(db, tmp / "replacement");
    fs::last_write_time(tmp / "replacement", mtime);
    fs::rename(tmp / "replacement", db);
    BOOST_REQUIRE(fs::file_size(db) == size);
    const auto third = cache.get();
    BOOST_TEST(third.library != again.library);
}
