// Sieve's own SQLite state (<state-dir>/state.sqlite, WAL): cached judgments, the notes Sieve
// has seen intact, and the user's feedback. Schema and migrations: schema/state.sql (embedded),
// applied in order according to PRAGMA user_version. Thread-safe (one connection, one mutex).
#pragma once
#include "connector/wire/plan_types.hpp"

#include <SQLiteCpp/Database.h>
#include <boost/system/result.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sieve {

std::string_view embedded_state_sql();

// Seconds since the Unix epoch: the timestamps the state store keeps.
std::int64_t unix_seconds(); // schema/state.sql, compiled in (connector/CMakeLists.txt)

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

// A correction as stored (feedback table).
struct stored_correction {
    std::int64_t id = 0;
    feedback_entry f;
    std::int64_t created_at = 0;
};

// The stored personal layer (table personal_layer, migration 5).
struct stored_personal {
    std::string fingerprint;
    std::int64_t corrections = 0;
    std::string layer_text;
    std::optional<double> agreement;
    std::int64_t trained_at = 0;
};

// Totals of a bulk job (jobs.counts_json).
struct job_counts {
    std::map<std::string, std::int64_t> verdicts; // relevant / application / irrelevant
    std::map<std::string, std::int64_t> topics;   // topic name -> items
    std::int64_t changes = 0;     // items whose plan is not empty
    std::int64_t user_edited = 0; // Sieve notes left alone because the user edited them
    std::int64_t read_only = 0;   // items of read-only libraries (judged, no plan)
    std::int64_t errors = 0;      // items that could not be judged or found
    std::int64_t llm_judged = 0;  // items judged by the LLM judge (its judgment was known)
    std::int64_t llm_queued = 0;  // items queued for the LLM judge, planned with the local one
};

// One row of `jobs` (schema/state.sql, migration 2).
struct job_record {
    std::int64_t id = 0;
    std::string scope_json; // the request body
    int tag_type = 1;
    std::string state = "running"; // running | done | cancelled | failed
    std::string error;             // set when failed
    std::string model_version, criteria_version;
    std::int64_t total = 0, done = 0, plan_entries = 0, created_at = 0;
    std::optional<std::int64_t> finished_at;
    std::optional<std::pair<std::int64_t, std::string>> cursor; // last item stored
    job_counts counts;
};

// What one step of a job stores, in one transaction with the job's new row.
struct job_chunk {
    std::vector<std::pair<judgment_key, std::string>> judgments; // new judgments to cache
    struct note_seen {
        std::int64_t library_id;
        std::string item_key, note_key, html_hash;
    };
    std::vector<note_seen> notes;     // Sieve notes seen intact
    std::vector<std::string> entries; // plan entry JSON, seq record.plan_entries - size + 1 ...
};

// Why a read of the job tables failed: the database could not be read (an I/O error, a table
// gone, ...), or it holds what Sieve does not write (`corrupt`: a row that is not what this
// version stores). Routes answer 503 state_unavailable and 500 state_corrupt.
struct store_error {
    bool corrupt = false;
    std::string message; // one line
};
template <class T> using store_result = boost::system::result<T, store_error>;

// One stored plan entry: its sequence number and its JSON text, as read (not checked here).
struct plan_row {
    std::int64_t seq = 0;
    std::string json;
};

class state_store {
public:
    // Opens or creates the database (the file and its -wal / -shm 0600, whatever existed) and
    // applies pending migrations. Errors (one line): cannot open or make private, not a SQLite
    // file, a migration failed, or the file is newer than this build.
    static boost::system::result<std::unique_ptr<state_store>, std::string>
    open(const std::filesystem::path& path);

    int schema_version();

    // The cache and the note records are best effort: a database error reads as "nothing
    // stored" and a failed write is dropped (the server keeps answering).
    std::optional<std::string> find_judgment(const judgment_key& k); // the stored JSON text
    void store_judgment(const judgment_key& k, const std::string& judgment_json);

    std::vector<written_note> written_notes(std::int64_t library_id, const std::string& item_key);

    // find_judgment and written_notes for many items in one read transaction (bulk jobs).
    struct item_state {
        std::optional<std::string> judgment;
        std::vector<written_note> written;
    };
    std::vector<item_state> lookup_items(const std::vector<judgment_key>& keys);
    void record_note(std::int64_t library_id, const std::string& item_key,
                     const std::string& note_key, const std::string& html_hash);

    // The new row id. Errors: the database error, one line.
    boost::system::result<std::int64_t, std::string> add_feedback(const feedback_entry& f);
    std::int64_t feedback_count(); // rows not withdrawn (an item corrected twice counts twice)

    // The personal layer's corrections (state_store_personal.cpp). Active corrections: per item
    // (libraryID + key, else id) its newest row not withdrawn, in id order.
    store_result<std::vector<stored_correction>> active_corrections();
    // Marks the row withdrawn (kept, no longer learned from); false: no such active row.
    boost::system::result<bool, std::string> withdraw_feedback(std::int64_t id);
    // Withdraws every active row and forgets the stored layer; the number withdrawn.
    boost::system::result<std::int64_t, std::string> withdraw_all_feedback();
    std::optional<stored_personal> find_personal(); // none: no row or the store failed
    boost::system::result<void, std::string> store_personal(const stored_personal& p);

    // Jobs (state_store_jobs.cpp). Errors are one line. create_job sets r.id and r.created_at
    // and drops finished jobs beyond the 20 most recent.
    boost::system::result<void, std::string> create_job(job_record& r);
    // Stores the chunk and the job's row `r` (done, counts, cursor, plan_entries, state...).
    boost::system::result<void, std::string> commit_job_chunk(const job_record& r,
                                                              const job_chunk& c);
    boost::system::result<void, std::string> update_job(const job_record& r); // the row only
    // The job's row (none: no such job). A row whose counts are not the JSON object Sieve
    // writes is corrupt.
    store_result<std::optional<job_record>> find_job(std::int64_t id);
    store_result<std::vector<job_record>> recent_jobs(std::size_t n); // newest first
    // Oldest first; empty on any error (start-up: a job that cannot be read does not resume).
    std::vector<job_record> jobs_in_state(std::string_view state);
    // Stored entries with seq in (after, after + limit], in seq order.
    store_result<std::vector<plan_row>> job_plan_page(std::int64_t id, std::int64_t after,
                                                      std::size_t limit);
    // The LLM judge's cache and token use (connector/state/state_store_llm.cpp; best effort like the
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
    void write_job_row(const job_record& r); // throws SQLite::Exception; caller holds mutex_
    // Replaces each item's judgment (any older version). Throws; caller holds mutex_ and a
    // transaction.
    void write_judgments(const std::vector<std::pair<judgment_key, std::string>>& items);
    // Jobs selected by `tail` ("WHERE ... ORDER BY ..." with one parameter).
    store_result<std::vector<job_record>> select_jobs(const std::string& tail,
                                                      const std::string& parameter);
    explicit state_store(const std::filesystem::path& path);
    void migrate(); // throws SQLite::Exception or std::runtime_error
    std::mutex mutex_;
    SQLite::Database db_;
};

} // namespace sieve
