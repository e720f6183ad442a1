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
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sieve {

class stored_judgments {
public:
    // Errors (one line): no such file, not a SQLite file, or no judgments table.
    static boost::system::result<std::unique_ptr<stored_judgments>, std::string>
    open(const std::filesystem::path& state_sqlite);

    // Calls found(i, json, created_at) for each key i with a stored judgment for exactly its
    // content, model and criteria (json: as /v1/classify returns it, valid during the call only;
    // created_at: unix seconds). A database error ends the visit: the keys not visited read as
    // "nothing stored", and the result is false.
    using visitor = std::function<void(std::size_t, std::string_view, std::int64_t)>;
    bool visit(const std::vector<judgment_key>& keys, const visitor& found);

private:
    explicit stored_judgments(const std::filesystem::path& path);
    // visit() for the keys of one model and criteria version. Throws SQLite::Exception.
    void scan(const std::string& model, const std::string& criteria,
              const std::vector<judgment_key>& keys, const visitor& found);
    SQLite::Database db_;
};

} // namespace sieve
