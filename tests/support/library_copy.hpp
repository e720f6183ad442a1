// Test support: a private copy of a real Zotero library from $SIEVE_SHARED/zotero-libraries (never
// the shared file itself), with snapshots under the copy's folder ($XDG_CACHE_HOME is set there,
// which `sieve serve` children inherit).
#pragma once
#include "tests/support/server_process.hpp"

#include <cstdlib>
#include <filesystem>
#include <string>

namespace sieve::test {

struct library_copy {
    explicit library_copy(const std::string& name = "zotero7-schema123-imaging.sqlite") {
        ::setenv("XDG_CACHE_HOME", (dir.path / "cache").c_str(), 1);
        db = dir.path / "zotero" / "zotero.sqlite";
        std::filesystem::create_directories(db.parent_path());
        std::filesystem::copy_file(env_or_fail("SIEVE_SHARED") + "/zotero-libraries/" + name, db);
        std::filesystem::permissions(db, std::filesystem::perms::owner_read |
                                             std::filesystem::perms::owner_write);
    }
    temp_dir dir;
    std::filesystem::path db;
};

} // namespace sieve::test
