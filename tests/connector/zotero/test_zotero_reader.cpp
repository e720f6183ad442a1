// read_zotero_library against the real libraries of $SIEVE_SHARED, cross-checked with plain SQL
// on a private copy, plus schema tolerance (unknown tables/columns, renumbered fields, groups).
#define BOOST_TEST_MODULE zotero_reader
#include "connector/zotero/zotero_reader.hpp"
#include "tests/support/zotero_test_util.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <map>

namespace fs = std::filesystem;
using namespace sieve_test;

namespace {

struct expected_item {
    std::string title, abstract;
    std::vector<std::pair<std::string, int>> tags;
    std::vector<std::pair<std::string, std::string>> notes; // key, html
    std::vector<std::string> collections;
    std::size_t creators = 0;
};

std::string scalar(SQLite::Database& db, const std::string& sql, std::int64_t id) {
    SQLite::Statement q(db, sql);
    q.bind(1, id);
    return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

// Field value by name, or through a base-field mapping onto that name.
std::string field(SQLite::Database& db, std::int64_t id, const std::string& name) {
    return scalar(db,
                  "SELECT v.value FROM itemData d JOIN itemDataValues v ON v.valueID = d.valueID "
                  "WHERE d.itemID = ?1 AND d.fieldID IN (SELECT fieldID FROM fields WHERE "
                  "fieldName = '" +
                      name +
                      "' UNION SELECT b.fieldID FROM baseFieldMappings b "
                      "JOIN fields f ON f.fieldID = b.baseFieldID WHERE f.fieldName = '" +
                      name + "')",
                  id);
}

expected_item expect(SQLite::Database& db, std::int64_t id) {
    expected_item e{field(db, id, "title"), field(db, id, "abstractNote"), {}, {}, {}, 0};
    SQLite::Statement t(db, "SELECT t.name, it.type FROM itemTags it JOIN tags t "
                            "ON t.tagID = it.tagID WHERE it.itemID = ? ORDER BY t.name");
    t.bind(1, id);
    while (t.executeStep())
        e.tags.emplace_back(t.getColumn(0).getString(), t.getColumn(1).getInt());
    SQLite::Statement n(db, "SELECT i.key, n.note FROM itemNotes n JOIN items i ON i.itemID = "
                            "n.itemID WHERE n.parentItemID = ? AND n.itemID NOT IN "
                            "(SELECT itemID FROM deletedItems) ORDER BY n.itemID");
    n.bind(1, id);
    while (n.executeStep())
        e.notes.emplace_back(n.getColumn(0).getString(), n.getColumn(1).getString());
    SQLite::Statement c(db, "SELECT c.key FROM collectionItems ci JOIN collections c ON "
                            "c.collectionID = ci.collectionID WHERE ci.itemID = ? ORDER BY c.key");
    c.bind(1, id);
    while (c.executeStep())
        e.collections.push_back(c.getColumn(0).getString());
    e.creators = std::stoul(scalar(db, "SELECT count(*) FROM itemCreators WHERE itemID = ?", id));
    return e;
}

// "libraryID/key" -> itemID of every regular, non-trashed item, by plain SQL.
std::map<std::string, std::int64_t> expected_keys(SQLite::Database& db) {
    std::map<std::string, std::int64_t> out;
    SQLite::Statement q(db, "SELECT i.libraryID, i.key, i.itemID FROM items i JOIN itemTypes t "
                            "ON t.itemTypeID = i.itemTypeID WHERE t.typeName NOT IN "
                            "('attachment', 'note', 'annotation') AND NOT EXISTS "
                            "(SELECT 1 FROM deletedItems d WHERE d.itemID = i.itemID)");
    while (q.executeStep())
        out[q.getColumn(0).getString() + "/" + q.getColumn(1).getString()] =
            q.getColumn(2).getInt64();
    return out;
}

sieve::zotero_library read_ok(const fs::path& db, const fs::path& snapshots) {
    std::string why;
    auto lib = sieve::read_zotero_library(db, {snapshots, std::chrono::milliseconds(3000)}, &why);
    BOOST_REQUIRE_MESSAGE(lib.has_value(), db.string() + ": " + why);
    return std::move(*lib);
}

void check_against_sql(const sieve::zotero_library& lib, const fs::path& copy) {
    SQLite::Database db(copy.string(), SQLite::OPEN_READONLY);
    const auto keys = expected_keys(db);
    BOOST_TEST(lib.items.size() == keys.size());
    for (const auto& it : lib.items) {
        const auto k = keys.find(std::to_string(it.library_id) + "/" + it.key);
        BOOST_REQUIRE_MESSAGE(k != keys.end(), "unexpected item " + it.key);
        BOOST_TEST(k->second == it.item_id);
        const expected_item e = expect(db, it.item_id);
        BOOST_TEST(it.title == e.title);
        BOOST_TEST(it.abstract == e.abstract);
        BOOST_TEST(it.creators.size() == e.creators);
        BOOST_TEST(it.collections == e.collections);
        BOOST_REQUIRE_EQUAL(it.tags.size(), e.tags.size());
        for (std::size_t i = 0; i < e.tags.size(); ++i) {
            BOOST_TEST(it.tags[i].name == e.tags[i].first);
            BOOST_TEST(it.tags[i].type == e.tags[i].second);
        }
        BOOST_REQUIRE_EQUAL(it.notes.size(), e.notes.size());
        for (std::size_t i = 0; i < e.notes.size(); ++i) {
            BOOST_TEST(it.notes[i].key == e.notes[i].first);
            BOOST_TEST(it.notes[i].html == e.notes[i].second);
        }
        BOOST_TEST(sieve::find_item(lib, it.library_id, it.key) == &it);
    }
}

} // namespace

BOOST_AUTO_TEST_CASE(real_libraries_match_plain_sql) {
    std::size_t non_ascii_titles = 0, notes = 0, tags = 0, arxiv = 0, trashed = 0;
    for (const fs::path& real : real_libraries()) {
        BOOST_TEST_CONTEXT(real.filename().string()) {
            const fingerprint before(real);
            temp_dir tmp;
            const auto lib = read_ok(real, tmp / "snapshots");
            BOOST_TEST(before == fingerprint(real));
            BOOST_TEST(lib.userdata_version >= 120);
            BOOST_REQUIRE(!lib.libraries.empty());
            BOOST_TEST(lib.libraries[0].type == "user");
            BOOST_TEST(lib.libraries[0].editable);
            const fs::path copy = copy_into(real, tmp.path(), "copy.sqlite");
            check_against_sql(lib, copy);
            SQLite::Database db(copy.string(), SQLite::OPEN_READONLY);
            trashed += std::stoul(scalar(db, "SELECT count(*) FROM deletedItems WHERE ?1", 1));
            for (const auto& it : lib.items) {
                BOOST_TEST(it.item_type != "attachment");
                BOOST_TEST(it.item_type != "note");
                BOOST_TEST(it.item_type != "annotation");
                non_ascii_titles += std::any_of(it.title.begin(), it.title.end(),
                                                [](char c) { return (c & 0x80) != 0; });
                notes += it.notes.size();
                tags += it.tags.size();
                arxiv += !it.arxiv_id.empty();
                if (it.url.find("arxiv.org/abs/") != std::string::npos)
                    BOOST_TEST(!it.arxiv_id.empty());
            }
        }
    }
    // The shared libraries exercise every filter: make sure that stays true.
    BOOST_TEST(non_ascii_titles > 0u);
    BOOST_TEST(notes > 0u);
    BOOST_TEST(tags > 0u);
    BOOST_TEST(arxiv > 0u);
    BOOST_TEST(trashed > 0u);
}

BOOST_AUTO_TEST_CASE(snapshot_is_reused_until_the_file_changes) {
    temp_dir tmp;
    const fs::path db = copy_into(real_libraries().back(), tmp / "Zotero", "zotero.sqlite");
    fs::last_write_time(db, fs::file_time_type::clock::now() - std::chrono::hours(1));
    const auto first = read_ok(db, tmp / "snap");
    BOOST_TEST(!first.snapshot_reused);
    const auto second = read_ok(db, tmp / "snap");
    BOOST_TEST(second.snapshot_reused);
    BOOST_TEST(second.snapshot == first.snapshot);
    fs::last_write_time(db, fs::file_time_type::clock::now() - std::chrono::minutes(30));
    const auto third = read_ok(db, tmp / "snap");
    BOOST_TEST(!third.snapshot_reused);
    const std::string name = third.snapshot.filename().string(); // the older copy was removed
    BOOST_TEST((listing(tmp / "snap") == std::set<std::string>{name, name + ".id"}));
    BOOST_TEST((listing(db.parent_path()) == std::set<std::string>{"zotero.sqlite"}));
}

BOOST_AUTO_TEST_CASE(unknown_tables_columns_and_newer_schema_are_tolerated) {
    temp_dir tmp;
    const fs::path real = real_libraries().back();
    const auto reference = read_ok(real, tmp / "ref");
    const fs::path db = copy_into(real, tmp.path(), "zotero.sqlite");
    {
        SQLite::Database w(db.string(), SQLite::OPEN_READWRITE);
        w.exec("CREATE TABLE futureTable (x TEXT); ALTER TABLE items ADD COLUMN futureColumn INT;"
               "ALTER TABLE itemTags ADD COLUMN futureColumn INT;"
               "UPDATE version SET version = 129 WHERE schema = 'userdata';"
               // Renumber every field: the reader must resolve fields by name.
               "UPDATE fields SET fieldID = fieldID + 1000;"
               "UPDATE fieldsCombined SET fieldID = fieldID + 1000;"
               "UPDATE itemData SET fieldID = fieldID + 1000;"
               "UPDATE baseFieldMappings SET fieldID = fieldID + 1000, baseFieldID = baseFieldID + "
               "1000;"
               "UPDATE baseFieldMappingsCombined SET fieldID = fieldID + 1000, "
               "baseFieldID = baseFieldID + 1000;");
    }
    const auto lib = read_ok(db, tmp / "snap");
    BOOST_TEST(lib.userdata_version == 129);
    BOOST_REQUIRE_EQUAL(lib.items.size(), reference.items.size());
    for (std::size_t i = 0; i < lib.items.size(); ++i) {
        BOOST_TEST(lib.items[i].title == reference.items[i].title);
        BOOST_TEST(lib.items[i].abstract == reference.items[i].abstract);
        BOOST_TEST(lib.items[i].url == reference.items[i].url);
        BOOST_TEST(lib.items[i].tags.size() == reference.items[i].tags.size());
    }
}

BOOST_AUTO_TEST_CASE(group_libraries_are_read_and_feeds_skipped) {
    temp_dir tmp;
    const fs::path real = real_libraries().back();
    const fs::path db = copy_into(real, tmp.path(), "zotero.sqlite");
    const auto reference = read_ok(real, tmp / "ref");
    BOOST_REQUIRE(reference.items.size() >= 2u);
    const auto group_item = reference.items[0].item_id;
    const auto feed_item = reference.items[1].item_id;
    {
        SQLite::Database w(db.string(), SQLite::OPEN_READWRITE);
        w.exec("INSERT INTO libraries (libraryID, type, editable, filesEditable) "
               "VALUES (5, 'group', 0, 0), (6, 'feed', 0, 0);"
               "INSERT INTO groups (groupID, libraryID, name, description, version) "
               "VALUES (77, 5, 'Reading group', '', 1);"
               "UPDATE items SET libraryID = 5 WHERE itemID = " +
               std::to_string(group_item) +
               ";"
               "UPDATE items SET libraryID = 6 WHERE itemID = " +
               std::to_string(feed_item) +
               ";"
               "DELETE FROM collectionItems WHERE itemID IN (" +
               std::to_string(group_item) + "," + std::to_string(feed_item) +
               ");"
               "INSERT INTO feedItems (itemID, guid) VALUES (" +
               std::to_string(feed_item) + ", 'g');");
    }
    const auto lib = read_ok(db, tmp / "snap");
    BOOST_TEST(lib.items.size() == reference.items.size() - 1);
    BOOST_REQUIRE_EQUAL(lib.libraries.size(), 2u);
    BOOST_TEST(lib.libraries[1].id == 5);
    BOOST_TEST(lib.libraries[1].type == "group");
    BOOST_TEST(!lib.libraries[1].editable);
    BOOST_TEST(lib.libraries[1].name == "Reading group");
    const auto* moved = sieve::find_item(lib, 5, reference.items[0].key);
    BOOST_REQUIRE(moved != nullptr);
    BOOST_TEST(moved->title == reference.items[0].title);
    BOOST_TEST(sieve::find_item(lib, 6, reference.items[1].key) == nullptr);
    BOOST_TEST(sieve::find_item(lib, 1, reference.items[1].key) == nullptr);
}

BOOST_AUTO_TEST_CASE(arxiv_ids_from_url_doi_and_extra) {
    using sieve::find_arxiv_id;
    BOOST_TEST(find_arxiv_id("http://arxiv.org/abs/2401.01234v3", "", "") == "2401.01234");
    BOOST_TEST(find_arxiv_id("https://arxiv.org/pdf/1706.03762.pdf", "", "") == "1706.03762");
    BOOST_TEST(find_arxiv_id("https://arxiv.org/abs/hep-th/9901001", "", "") == "hep-th/9901001");
    BOOST_TEST(find_arxiv_id("", "10.48550/arXiv.2006.11239", "") == "2006.11239");
    BOOST_TEST(find_arxiv_id("https://doi.org/x", "10.1000/xyz", "arXiv: 1801.03924 [cs]") ==
               "1801.03924");
    BOOST_TEST(find_arxiv_id("", "", "Comment: x\narXiv:math.GT/0309136v1") == "math.GT/0309136");
    BOOST_TEST(find_arxiv_id("https://example.org/2401.01234", "", "no id here") == "");
    BOOST_TEST(find_arxiv_id("", "", "arXiv:24010.1234") == "");
}

BOOST_AUTO_TEST_CASE(doi_from_extra_lines) {
    using sieve::doi_from_extra;
    BOOST_TEST(doi_from_extra("DOI: 10.1234/abc.5") == "10.1234/abc.5");
    BOOST_TEST(doi_from_extra("Publisher: X\nDOI:\t10.1/y\nPMID: 7") == "10.1/y");
    BOOST_TEST(doi_from_extra("Original DOI: 10.1/z") == "");
    BOOST_TEST(doi_from_extra("DOI:   ") == "");
    BOOST_TEST(doi_from_extra("") == "");
}

BOOST_AUTO_TEST_CASE(default_paths_follow_the_environment) {
    ::setenv("SIEVE_ZOTERO_DIR", "/data/zot", 1);
    BOOST_TEST(sieve::default_zotero_db() == fs::path("/data/zot/zotero.sqlite"));
    ::unsetenv("SIEVE_ZOTERO_DIR");
    ::setenv("HOME", "/home/u", 1);
    BOOST_TEST(sieve::default_zotero_db() == fs::path("/home/u/Zotero/zotero.sqlite"));
    ::setenv("XDG_CACHE_HOME", "/cache", 1);
    BOOST_TEST(sieve::default_snapshot_dir() == fs::path("/cache/sieve"));
    ::unsetenv("XDG_CACHE_HOME");
    BOOST_TEST(sieve::default_snapshot_dir() == fs::path("/home/u/.cache/sieve"));
}
