// Read-only access to the judgments a state store has cached, with when each was made, for
// `sieve report`. Opens <state-dir>/state.sqlite read-only on a connection of its own: it never
// creates, migrates or locks the store, so it may be used while `sieve serve` runs on it.
// Not thread-safe (one caller at a time).
#pragma once
#include "connector/state/state_store.hpp"

#include <SQLiteCpp/Database.h>
#include <boost/system/result.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sieve {

struct stored_judgment {
    std::string json;            // judgment JSON as /v1/classify returns it
    std::int64_t created_at = 0; // unix seconds
};

class stored_judgments {
public:
    // Errors (one line): no such file, not a SQLite file, or no judgments table.
    static boost::system::result<std::unique_ptr<stored_judgments>, std::string>
    open(const std::filesystem::path& state_sqlite);

    // The stored judgment of each key (same order), none where nothing matches exactly (another
    // content, model or criteria). A database error reads as "nothing stored" for the keys left.
    std::vector<std::optional<stored_judgment>> find(const std::vector<judgment_key>& keys);

private:
    explicit stored_judgments(const std::filesystem::path& path);
    SQLite::Database db_;
};

} // namespace sieve
