#include "connector/state/state_store.hpp"

#include "connector/state/state_dir.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <boost/json.hpp>

#include <chrono>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

namespace sieve {

namespace {

constexpr std::string_view marker = "-- migration ";

} // namespace

std::int64_t unix_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

boost::system::result<std::vector<migration>, std::string> split_migrations(std::string_view sql) {
    std::vector<migration> out;
    std::size_t pos = 0;
    while (pos < sql.size()) {
        std::size_t eol = sql.find('\n', pos);
        if (eol == std::string_view::npos)
            eol = sql.size();
        std::string_view line = sql.substr(pos, eol - pos);
        if (line.substr(0, marker.size()) == marker) {
            int v = std::atoi(std::string(line.substr(marker.size())).c_str());
            if (v != int(out.size()) + 1)
                return "state.sql: migration " + std::to_string(v) + " out of order";
            out.push_back({v, {}});
        } else if (!out.empty()) {
            out.back().sql.append(line).push_back('\n');
        }
        pos = eol + 1;
    }
    if (out.empty())
        return std::string("state.sql: no \"-- migration N\" section");
    return out;
}

state_store::state_store(const std::filesystem::path& path)
    : db_(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {
    db_.setBusyTimeout(5000);
    db_.exec("PRAGMA journal_mode = WAL");
    db_.exec("PRAGMA synchronous = NORMAL");
    db_.exec("PRAGMA foreign_keys = ON");
}

namespace {

// The database file and its sidecars 0600 before SQLite opens them: it creates a new -wal,
// -shm or -journal with the mode of the database file, and a new database with 0644.
boost::system::result<void, std::string> make_store_private(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0)
        ::close(fd);
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        if (auto r = make_private(path.string() + suffix); !r)
            return "state store " + r.error();
    return {};
}

} // namespace

boost::system::result<std::unique_ptr<state_store>, std::string>
state_store::open(const std::filesystem::path& path) {
    if (auto r = make_store_private(path); !r)
        return r.error();
    try {
        std::unique_ptr<state_store> s(new state_store(path));
        s->migrate();
        return s;
    } catch (const std::exception& e) {
        return "state store " + path.string() + ": " + e.what();
    }
}

void state_store::migrate() {
    auto migrations = split_migrations(embedded_state_sql());
    if (!migrations)
        throw std::runtime_error(migrations.error());
    int current = db_.execAndGet("PRAGMA user_version").getInt();
    if (current > migrations->back().version)
        throw std::runtime_error("schema version " + std::to_string(current) +
                                 " is newer than this sieve (" +
                                 std::to_string(migrations->back().version) + ")");
    for (const auto& m : *migrations) {
        if (m.version <= current)
            continue;
        SQLite::Transaction tx(db_);
        db_.exec(m.sql);
        db_.exec("PRAGMA user_version = " + std::to_string(m.version));
        tx.commit();
    }
}

int state_store::schema_version() {
    std::lock_guard lock(mutex_);
    return db_.execAndGet("PRAGMA user_version").getInt();
}

std::optional<std::string> state_store::find_judgment(const judgment_key& k) try {
    std::lock_guard lock(mutex_);
    SQLite::Statement q(db_, "SELECT judgment_json FROM judgments WHERE library_id = ? AND "
                             "item_key = ? AND content_hash = ? AND model_version = ? AND "
                             "criteria_version = ?");
    q.bind(1, k.library_id);
    q.bind(2, k.item_key);
    q.bind(3, k.content_hash);
    q.bind(4, k.model_version);
    q.bind(5, k.criteria_version);
    if (!q.executeStep())
        return std::nullopt;
    return q.getColumn(0).getString();
} catch (const std::exception&) {
    return std::nullopt;
}

void state_store::store_judgment(const judgment_key& k, const std::string& judgment_json) try {
    std::lock_guard lock(mutex_);
    SQLite::Transaction tx(db_);
    write_judgments({{k, judgment_json}});
    tx.commit();
} catch (const std::exception&) {
}

void state_store::write_judgments(const std::vector<std::pair<judgment_key, std::string>>& items) {
    // One judgment per item: older content / model / criteria versions are dropped.
    SQLite::Statement del(db_, "DELETE FROM judgments WHERE library_id = ? AND item_key = ?");
    SQLite::Statement ins(db_, "INSERT INTO judgments VALUES (?, ?, ?, ?, ?, ?, ?)");
    std::int64_t now = unix_seconds();
    for (const auto& [k, text] : items) {
        del.bind(1, k.library_id);
        del.bind(2, k.item_key);
        del.exec();
        del.reset();
        ins.bind(1, k.library_id);
        ins.bind(2, k.item_key);
        ins.bind(3, k.content_hash);
        ins.bind(4, k.model_version);
        ins.bind(5, k.criteria_version);
        ins.bind(6, text);
        ins.bind(7, now);
        ins.exec();
        ins.reset();
    }
}

std::vector<written_note> state_store::written_notes(std::int64_t library_id,
                                                     const std::string& item_key) try {
    std::lock_guard lock(mutex_);
    SQLite::Statement q(db_, "SELECT note_key, html_hash FROM notes_written WHERE library_id = ? "
                             "AND item_key = ? ORDER BY note_key");
    q.bind(1, library_id);
    q.bind(2, item_key);
    std::vector<written_note> out;
    while (q.executeStep())
        out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString()});
    return out;
} catch (const std::exception&) {
    return {};
}

void state_store::record_note(std::int64_t library_id, const std::string& item_key,
                              const std::string& note_key, const std::string& html_hash) try {
    std::lock_guard lock(mutex_);
    SQLite::Statement q(db_, "INSERT INTO notes_written VALUES (?, ?, ?, ?, ?) ON CONFLICT "
                             "(library_id, item_key, note_key) DO UPDATE SET "
                             "html_hash = excluded.html_hash, seen_at = excluded.seen_at");
    q.bind(1, library_id);
    q.bind(2, item_key);
    q.bind(3, note_key);
    q.bind(4, html_hash);
    q.bind(5, unix_seconds());
    q.exec();
} catch (const std::exception&) {
}

boost::system::result<std::int64_t, std::string>
state_store::add_feedback(const feedback_entry& f) try {
    boost::json::array topics;
    for (const auto& t : f.topics)
        topics.emplace_back(t);
    std::lock_guard lock(mutex_);
    SQLite::Statement q(db_, "INSERT INTO feedback (library_id, item_key, item_id, verdict, "
                             "topics_json, comment, title, abstract, criteria_version, created_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (f.library_id) {
        q.bind(1, *f.library_id);
        q.bind(2, f.item_key);
    }
    if (!f.item_id.empty())
        q.bind(3, f.item_id);
    q.bind(4, f.verdict);
    q.bind(5, boost::json::serialize(topics));
    q.bind(6, f.comment);
    q.bind(7, f.title);
    q.bind(8, f.abstract);
    if (!f.criteria_version.empty())
        q.bind(9, f.criteria_version);
    q.bind(10, unix_seconds());
    q.exec();
    return db_.getLastInsertRowid();
} catch (const std::exception& e) {
    return std::string(e.what());
}

std::int64_t state_store::feedback_count() {
    std::lock_guard lock(mutex_);
    return db_.execAndGet("SELECT count(*) FROM feedback WHERE withdrawn_at IS NULL").getInt64();
}

} // namespace sieve
