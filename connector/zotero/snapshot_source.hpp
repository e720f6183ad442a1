// What the snapshot protocol (connector/zotero/zotero_snapshot.cpp) and the library cache observe
// of a Zotero database and its journal / WAL: for each file its size, mtime and ctime (ns),
// device and inode, and for the database the SQLite header's file change counter, which every
// commit in rollback-journal mode increments. A same-size rewrite with the mtime put back still
// changes the ctime and the counter; a replaced file changes the inode. Internal to
// connector/zotero/.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>

namespace sieve {

struct file_state {
    bool exists = false; // a regular file is there
    std::int64_t size = 0, mtime_ns = 0, ctime_ns = 0;
    std::uint64_t device = 0, inode = 0;
    std::uint32_t change_counter = 0; // header bytes 24..27 (the database only)
    bool operator==(const file_state&) const = default;
};

struct source_state {
    file_state db, journal, wal;
    bool hot_journal = false;   // journal starts with the journal magic: a write transaction
    bool super_journal = false; // journal ends with a super-journal record: multi-file commit
    bool operator==(const source_state&) const = default;
};

// The state of `p` (exists = false unless it is a regular file); with_counter reads the
// change counter from the SQLite header.
file_state stat_file(const std::filesystem::path& p, bool with_counter = false);

// `n` bytes at `offset` (negative: from the end); empty when the file is shorter or unreadable.
std::string read_bytes(const std::filesystem::path& p, std::int64_t offset, std::size_t n);

std::filesystem::path sibling(const std::filesystem::path& db, const char* suffix);

bool is_journal_magic(const std::string& bytes);

// The database and its hot journal / non-empty WAL (a cold journal or an empty WAL counts as
// absent: it does not matter to the content).
source_state observe(const std::filesystem::path& source);

// True while any of the files was modified less than 100 ms ago (mtimes are tick-coarse).
bool recently_modified(const source_state& s);

// Every field of `s` as text: equal text, equal state.
std::string describe(const source_state& s);

// describe() of the database, its journal and its WAL without reading the journal: what the
// library cache compares to decide whether to read the library again.
std::string cache_signature(const std::filesystem::path& db);

} // namespace sieve
