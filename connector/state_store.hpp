// Sieve's own SQLite state (<state-dir>/state.sqlite, WAL): cached judgments, the notes Sieve
// has seen intact, and the user's feedback. Schema and migrations: schema/state.sql (embedded),
// applied in order according to PRAGMA user_version. Thread-safe (one connection, one mutex).
#pragma once
#include "connector/plan.hpp"

#include <SQLiteCpp/Database.h>
#include <boost/system/result.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sieve {

std::string_view embedded_state_sql(); // schema/state.sql, compiled in (connector/CMakeLists.txt)

// One "-- migration N" section of schema/state.sql.
struct migration {
    int version = 0;
    std::string sql;
};
// The sections of `sql` in file order. Errors: no section, or versions not 1, 2, 3, ...
boost::system::result<std::vector<migration>, std::string> split_migrations(std::string_view sql);

struct judgment_key {
    std::int64_t library_id = 0;
    std::string item_key;
    std::string content_hash;
    std::string model_version;
    std::string criteria_version;
};

struct feedback_entry {
    std::optional<std::int64_t> library_id;
    std::string item_key; // empty when library_id is unset
    std::string item_id;  // caller's id; may be empty
    std::string verdict;  // relevant | application | irrelevant
    std::vector<std::string> topics;
    std::string comment, title, abstract, criteria_version;
};

class state_store {
public:
    // Opens or creates the database and applies pending migrations. Errors (one line): cannot
    // open, not a SQLite file, a migration failed, or the file is newer than this build.
    static boost::system::result<std::unique_ptr<state_store>, std::string>
    open(const std::filesystem::path& path);

    int schema_version();

    // The cache and the note records are best effort: a database error reads as "nothing
    // stored" and a failed write is dropped (the server keeps answering).
    std::optional<std::string> find_judgment(const judgment_key& k); // the stored JSON text
    void store_judgment(const judgment_key& k, const std::string& judgment_json);

    std::vector<written_note> written_notes(std::int64_t library_id, const std::string& item_key);
    void record_note(std::int64_t library_id, const std::string& item_key,
                     const std::string& note_key, const std::string& html_hash);

    // The new row id. Errors: the database error, one line.
    boost::system::result<std::int64_t, std::string> add_feedback(const feedback_entry& f);
    std::int64_t feedback_count();

    // The LLM judge's cache and token use (connector/state_store_llm.cpp; best effort like the
    // judgment cache). `day` is a UTC date, YYYY-MM-DD.
    std::optional<std::string> find_llm_judgment(const std::string& content_hash,
                                                 const std::string& criteria_version,
                                                 const std::string& llm_model);
    void store_llm_judgment(const std::string& content_hash, const std::string& criteria_version,
                            const std::string& llm_model, const std::string& judgment_json);
    void add_llm_usage(const std::string& day, std::int64_t prompt_tokens,
                       std::int64_t completion_tokens);
    struct llm_usage {
        std::int64_t prompt_tokens = 0, completion_tokens = 0, requests = 0;
    };
    llm_usage llm_usage_on(const std::string& day);

private:
    explicit state_store(const std::filesystem::path& path);
    void migrate(); // throws SQLite::Exception or std::runtime_error
    std::mutex mutex_;
    SQLite::Database db_;
};

} // namespace sieve
