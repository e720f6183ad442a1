// A consistent private copy of a SQLite file that another process (Zotero) keeps open and locked.
#pragma once
#include "connector/zotero/zotero_reader.hpp"

#include <boost/system/result.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

namespace sieve {

struct snapshot_options {
    std::filesystem::path dir;                    // where copies live; created if missing
    std::chrono::milliseconds busy_timeout{8000}; // total back-off while a write is under way
    // When set and a new copy is made: called on the calling thread with the finished but not
    // yet verified copy while PRAGMA quick_check runs on it on a second thread. If take_snapshot
    // then fails, whatever it read must be discarded. Must not modify or rename the file. Not
    // called when a snapshot is reused.
    std::function<void(const std::filesystem::path&)> read_while_verifying;
};

struct snapshot {
    std::filesystem::path path; // the copy: a plain rollback-journal SQLite file, safe to open
                                // with immutable=1; it is replaced, never modified, afterwards
    bool reused = false;        // true: an earlier copy of the unchanged source, checked
    bool read_done = false;     // true: options.read_while_verifying ran on this (verified) copy
};

// Copies `source` (plus a hot `-journal` or a `-wal` when present, which are then applied to the
// copy only) into options.dir and verifies the copy with PRAGMA quick_check. Reads the source
// with plain file reads (a reflink clone or copy_file_range where the filesystem offers them): no
// SQLite connection, lock or file is ever opened or created beside it.
// A write is taken to be under way while the source has a hot journal, or while any of the files
// was modified less than 100 ms ago, or when size or mtime differ before and after the copy; the
// call then backs off (50 ms doubling, up to 1 s) and retries until busy_timeout has elapsed.
// A hot journal that stays put for busy_timeout / 2 (a long transaction held open) is copied with
// the file and rolled back on the copy, which yields the last committed state.
// The copy is reused while the source (and its journal / WAL) is unchanged: size, mtime, ctime,
// device and inode, and the SQLite header's file change counter (snapshot_source.hpp), and only
// while the record kept beside it (<copy>.id, snapshot_record.hpp) says the copy itself is as it
// was made from this source: a copy damaged, truncated or replaced since is not reused, and a
// new copy is made and renamed over it.
// `dir` must not be the source's own directory. Older copies of the same source are removed.
// Errors: missing, not_zotero (empty or not a SQLite file), corrupt, locked (still changing), io.
boost::system::result<snapshot> take_snapshot(const std::filesystem::path& source,
                                              const snapshot_options& options,
                                              std::string* detail = nullptr);

// Removes a snapshot, its record and any sidecar: the next take_snapshot copies afresh. For a
// reused copy that turned out unreadable (damage the record's cheap check cannot see).
void discard_snapshot(const std::filesystem::path& copy);

// "file:<percent-encoded absolute path>?immutable=1": for opening a snapshot with OPEN_URI.
std::string immutable_uri(const std::filesystem::path& file);

} // namespace sieve
