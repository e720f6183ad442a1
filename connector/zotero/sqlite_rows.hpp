// A prepared statement stepped through the SQLite C API, for reading many rows quickly: column
// access is a plain call (no per-column objects or reference counts) and text comes as a view.
#pragma once
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace sieve {

// Prepares `sql` on `db`; step() advances to the next row. Errors (prepare or step) throw
// SQLite::Exception carrying the SQLite result code, like SQLiteCpp's own Statement.
class sqlite_rows {
public:
    sqlite_rows(SQLite::Database& db, const std::string& sql) : db_(db.getHandle()) {
        if (const int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt_, nullptr);
            rc != SQLITE_OK) {
            sqlite3_finalize(stmt_);
            throw SQLite::Exception(db_, rc);
        }
    }
    ~sqlite_rows() { sqlite3_finalize(stmt_); }
    sqlite_rows(const sqlite_rows&) = delete;
    sqlite_rows& operator=(const sqlite_rows&) = delete;

    // True with a row to read, false when done.
    bool step() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW)
            return true;
        if (rc == SQLITE_DONE)
            return false;
        throw SQLite::Exception(db_, rc);
    }
    std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_, column); }
    // Valid until the next step(); empty for NULL.
    std::string_view text(int column) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
        return p ? std::string_view(p,
                                    static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
                 : std::string_view();
    }

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

} // namespace sieve
