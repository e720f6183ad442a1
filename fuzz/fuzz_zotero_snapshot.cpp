// libFuzzer target: the snapshot cache and the reader (connector/zotero/: take_snapshot, the
// record beside each snapshot, read_zotero_library) on damaged Zotero databases and damaged
// cached snapshots. A small synthetic Zotero database (made-up items, 512-byte pages) is built
// once; each input patches a copy of it, reads it, may damage the cached snapshot, and reads again.
//
// Input: byte 0 holds flags (bit 0: patch the database; bit 1: damage the cached snapshot after
// the first read; bit 2: also truncate what is patched, to 64 x byte 1 bytes; bit 3: put the
// snapshot's mtime back after damaging it), then 3-byte patches (offset high, offset low, value):
// the first half go to the database, the second half to the snapshot.
//
// Requirements: read_zotero_library never throws and returns a library or an error with a
// one-line reason; nothing appears beside the database; no temporary file stays in the snapshot
// directory; and when the first read succeeded and only the snapshot was damaged, the second read
// returns the same library: a damaged copy is neither served nor blamed on the intact database.
#include "connector/zotero/zotero_reader.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/stat.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;

#define FUZZ_REQUIRE(cond)                                                                         \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "fuzz_zotero_snapshot: requirement failed: %s\n", #cond);         \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)

const fs::path& work_dir() {
    static const fs::path dir = [] {
        auto d = fs::temp_directory_path() / ("sieve-fuzz-snapshot-" + std::to_string(::getpid()));
        fs::create_directories(d / "Zotero");
        std::atexit([] {
            std::error_code ec;
            fs::remove_all(work_dir(), ec);
        });
        return d;
    }();
    return dir;
}

constexpr const char* schema_sql = R"(
PRAGMA page_size = 512;
CREATE TABLE version (schema TEXT PRIMARY KEY, version INT NOT NULL);
CREATE TABLE libraries (libraryID INTEGER PRIMARY KEY, type TEXT NOT NULL, editable INT NOT NULL);
CREATE TABLE itemTypes (itemTypeID INTEGER PRIMARY KEY, typeName TEXT);
CREATE TABLE fields (fieldID INTEGER PRIMARY KEY, fieldName TEXT);
CREATE TABLE items (itemID INTEGER PRIMARY KEY, itemTypeID INT NOT NULL, libraryID INT NOT NULL,
                    key TEXT NOT NULL, dateModified TEXT);
CREATE TABLE itemDataValues (valueID INTEGER PRIMARY KEY, value UNIQUE);
CREATE TABLE itemData (itemID INT, fieldID INT, valueID INT, PRIMARY KEY (itemID, fieldID));
CREATE TABLE tags (tagID INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE itemTags (itemID INT, tagID INT, type INT NOT NULL, PRIMARY KEY (itemID, tagID));
CREATE TABLE creators (creatorID INTEGER PRIMARY KEY, firstName TEXT, lastName TEXT, fieldMode INT);
CREATE TABLE itemCreators (itemID INT, creatorID INT, creatorTypeID INT, orderIndex INT,
                           PRIMARY KEY (itemID, orderIndex));
CREATE TABLE collections (collectionID INTEGER PRIMARY KEY, key TEXT NOT NULL);
CREATE TABLE collectionItems (collectionID INT, itemID INT, PRIMARY KEY (collectionID, itemID));
CREATE TABLE itemNotes (itemID INTEGER PRIMARY KEY, parentItemID INT, note TEXT);
CREATE TABLE deletedItems (itemID INTEGER PRIMARY KEY);
INSERT INTO version VALUES ('userdata', 123);
INSERT INTO libraries VALUES (1, 'user', 1), (2, 'group', 0);
INSERT INTO itemTypes VALUES (1, 'journalArticle'), (2, 'note'), (3, 'attachment');
INSERT INTO fields VALUES (1, 'title'), (2, 'abstractNote'), (3, 'url'), (4, 'extra');
INSERT INTO items VALUES (1, 1, 1, 'AAAA2222', '2026-01-01 00:00:00'),
                         (2, 1, 1, 'BBBB2222', '2026-01-02 00:00:00'),
                         (3, 1, 2, 'CCCC2222', '2026-01-03 00:00:00'),
                         (4, 2, 1, 'NOTE2222', '2026-01-04 00:00:00'),
                         (5, 1, 1, 'GONE2222', '2026-01-05 00:00:00');
INSERT INTO itemDataValues VALUES (1, 'Made-up title one'), (2, 'A made-up abstract.'),
                                  (3, 'https://arxiv.org/abs/2401.00001'), (4, 'Made-up title two'),
                                  (5, 'arXiv: 2402.00002'), (6, 'Made-up title three');
INSERT INTO itemData VALUES (1, 1, 1), (1, 2, 2), (1, 3, 3), (2, 1, 4), (2, 4, 5), (3, 1, 6),
                            (5, 1, 4);
INSERT INTO tags VALUES (1, 'to-read'), (2, 'sieve/relevant');
INSERT INTO itemTags VALUES (1, 1, 0), (1, 2, 1), (2, 1, 0);
INSERT INTO creators VALUES (1, 'Ada', 'Example', 0), (2, '', 'Consortium', 1);
INSERT INTO itemCreators VALUES (1, 1, 1, 0), (1, 2, 1, 1);
INSERT INTO collections VALUES (1, 'COLL2222');
INSERT INTO collectionItems VALUES (1, 1), (1, 3);
INSERT INTO itemNotes VALUES (4, 1, '<div data-sieve-note="1"><p>made up</p></div>');
INSERT INTO deletedItems VALUES (5);
)";

const std::string& base_database() {
    static const std::string bytes = [] {
        const fs::path p = work_dir() / "base.sqlite";
        {
            SQLite::Database db(p.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            db.exec(schema_sql);
        }
        std::ifstream in(p, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }();
    return bytes;
}

struct patch {
    std::size_t offset;
    char value;
};

void apply(std::string& bytes, const std::vector<patch>& patches, bool truncate, std::size_t len) {
    for (const auto& p : patches)
        if (!bytes.empty())
            bytes[p.offset % bytes.size()] = p.value;
    if (truncate)
        bytes.resize(std::min(bytes.size(), len));
}

void write_file(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary | std::ios::trunc)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Damage comes later than the copy it hits: wait until a file written now gets another ctime
// than `copy` (file timestamps are clock-tick coarse). The record's check cannot see damage that
// keeps size, mtime and ctime and spares the first and last 4 KiB (docs/zotero-reader.md).
void wait_for_next_tick(const fs::path& copy) {
    struct ::stat made {};
    if (::stat(copy.c_str(), &made) != 0)
        return;
    const fs::path probe = work_dir() / "probe";
    for (int i = 0; i < 1000; ++i) {
        std::ofstream(probe, std::ios::trunc) << i;
        struct ::stat now {};
        if (::stat(probe.c_str(), &now) == 0 && (now.st_ctim.tv_sec != made.st_ctim.tv_sec ||
                                                 now.st_ctim.tv_nsec != made.st_ctim.tv_nsec))
            return;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
}

void set_mtime(const fs::path& p, fs::file_time_type t) {
    std::error_code ec;
    fs::last_write_time(p, t, ec);
}

// What a read gave, compared between the two reads.
std::string summary(const sieve::zotero_library& lib) {
    std::string s =
        std::to_string(lib.userdata_version) + "/" + std::to_string(lib.libraries.size());
    for (const auto& it : lib.items)
        s += "|" + std::to_string(it.library_id) + "/" + it.key + " " + it.title + " " +
             it.abstract + " " + it.arxiv_id + " " + std::to_string(it.tags.size()) + " " +
             std::to_string(it.notes.size()) + " " + std::to_string(it.creators.size());
    return s;
}

boost::system::result<sieve::zotero_library> read(const fs::path& db, std::string& why) {
    why.clear();
    auto lib =
        sieve::read_zotero_library(db, {work_dir() / "snap", std::chrono::milliseconds(200)}, &why);
    if (!lib)
        FUZZ_REQUIRE(!why.empty() && why.find('\n') == std::string::npos);
    return lib;
}

void check_dirs(const fs::path& db) {
    for (const auto& e : fs::directory_iterator(db.parent_path()))
        FUZZ_REQUIRE(e.path() == db); // nothing beside the database
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(work_dir() / "snap", ec))
        FUZZ_REQUIRE(e.path().filename().string().find(".tmp-") == std::string::npos);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2)
        return 0;
    const unsigned flags = data[0];
    const std::size_t cut = std::size_t(data[1]) * 64;
    std::vector<patch> patches;
    for (std::size_t i = 2; i + 2 < size; i += 3)
        patches.push_back(
            {std::size_t(data[i]) << 8 | data[i + 1], static_cast<char>(data[i + 2])});
    const auto half = patches.begin() + std::ptrdiff_t(patches.size() / 2);
    const std::vector<patch> to_db(patches.begin(), half), to_copy(half, patches.end());

    const fs::path db = work_dir() / "Zotero" / "zotero.sqlite";
    std::string bytes = base_database();
    if (flags & 1)
        apply(bytes, to_db, (flags & 4) != 0, cut);
    write_file(db, bytes);
    set_mtime(db, fs::file_time_type::clock::now() - std::chrono::hours(1)); // settled
    std::string why;
    const auto first = read(db, why);
    if (first && (flags & 2) && fs::exists(first->snapshot)) {
        const auto mtime = fs::last_write_time(first->snapshot);
        wait_for_next_tick(first->snapshot);
        std::string copy = read_file(first->snapshot);
        apply(copy, to_copy, (flags & 4) != 0, cut);
        write_file(first->snapshot, copy);
        if (flags & 8)
            set_mtime(first->snapshot, mtime);
    }
    const auto second = read(db, why);
    if (first) {
        FUZZ_REQUIRE(second.has_value()); // the database is intact: a damaged copy is not blamed
        FUZZ_REQUIRE(summary(*first) == summary(*second));
    }
    FUZZ_REQUIRE(read_file(db) == bytes); // never written
    check_dirs(db);
    return 0;
}
