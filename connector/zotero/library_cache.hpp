// The Zotero library as the server sees it: read on demand through read_zotero_library and read
// again only when the database file (or its journal / WAL) changes: size, mtime, ctime, inode,
// or the SQLite header's change counter (cache_signature, snapshot_source.hpp). Thread-safe.
#pragma once
#include "connector/zotero/zotero_reader.hpp"

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

namespace sieve {

class library_cache {
public:
    struct view {
        std::shared_ptr<const zotero_library> library; // null when it could not be read
        bool missing = false;                          // no file at the path
        std::string error;                             // one-line reason when library is null
    };

    library_cache(std::filesystem::path db, reader_options options);

    // The current library. Blocks while a changed database is read again.
    view get();

    const std::filesystem::path& path() const { return db_; }

private:
    std::string signature() const; // cache_signature of the db and its journal / WAL
    std::filesystem::path db_;
    reader_options options_;
    std::mutex mutex_;
    std::string loaded_signature_;
    bool loaded_ = false;
    view current_;
};

} // namespace sieve
