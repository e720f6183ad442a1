// state_store: the bulk job tables (schema/state.sql, migration 2).
#include "connector/state/state_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <boost/json.hpp>

#include <chrono>

namespace sieve {

namespace json = boost::json;

namespace {

std::string counts_text(const job_counts& c) {
    json::object v, t;
    for (const auto& [k, n] : c.verdicts)
        v[k] = n;
    for (const auto& [k, n] : c.topics)
        t[k] = n;
    return json::serialize(json::object{{"verdicts", v},
                                        {"topics", t},
                                        {"changes", c.changes},
                                        {"user_edited", c.user_edited},
                                        {"read_only", c.read_only},
                                        {"errors", c.errors},
                                        {"llm_judged", c.llm_judged},
                                        {"llm_queued", c.llm_queued}});
}

// A row that is not what Sieve writes (read_job).
struct corrupt_row {
    std::string why;
};

// Throws corrupt_row when `text` is not a JSON object.
job_counts counts_from(const std::string& text, std::int64_t id) {
    job_counts c;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    const json::object* o = ec ? nullptr : v.if_object();
    if (!o)
        throw corrupt_row{"the counts of job " + std::to_string(id) + " are not a JSON object"};
    auto number = [&](std::string_view k) {
        const json::value* x = o->if_contains(k);
        return x && x->is_int64() ? x->as_int64() : 0;
    };
    auto map = [&](std::string_view k, std::map<std::string, std::int64_t>& out) {
        if (const json::value* x = o->if_contains(k); x && x->is_object())
            for (const auto& kv : x->as_object())
                if (kv.value().is_int64())
                    out[std::string(kv.key())] = kv.value().as_int64();
    };
    map("verdicts", c.verdicts);
    map("topics", c.topics);
    c.changes = number("changes");
    c.user_edited = number("user_edited");
    c.read_only = number("read_only");
    c.errors = number("errors");
    c.llm_judged = number("llm_judged");
    c.llm_queued = number("llm_queued");
    return c;
}

constexpr const char* job_columns =
    "id, scope_json, tag_type, state, error, model_version, criteria_version, total, done, "
    "counts_json, cursor_library, cursor_key, plan_entries, created_at, finished_at";

job_record read_job(SQLite::Statement& q) {
    job_record r;
    r.id = q.getColumn(0).getInt64();
    r.scope_json = q.getColumn(1).getString();
    r.tag_type = q.getColumn(2).getInt();
    r.state = q.getColumn(3).getString();
    r.error = q.getColumn(4).getString();
    r.model_version = q.getColumn(5).getString();
    r.criteria_version = q.getColumn(6).getString();
    r.total = q.getColumn(7).getInt64();
    r.done = q.getColumn(8).getInt64();
    r.counts = counts_from(q.getColumn(9).getString(), r.id);
    if (!q.getColumn(10).isNull())
        r.cursor = std::pair{q.getColumn(10).getInt64(), q.getColumn(11).getString()};
    r.plan_entries = q.getColumn(12).getInt64();
    r.created_at = q.getColumn(13).getInt64();
    if (!q.getColumn(14).isNull())
        r.finished_at = q.getColumn(14).getInt64();
    return r;
}

} // namespace

std::vector<state_store::item_state>
state_store::lookup_items(const std::vector<judgment_key>& keys) {
    std::vector<item_state> out(keys.size());
    try {
        std::lock_guard lock(mutex_);
        SQLite::Transaction tx(db_); // one read lock for the whole batch
        SQLite::Statement j(db_, "SELECT judgment_json FROM judgments WHERE library_id = ? AND "
                                 "item_key = ? AND content_hash = ? AND model_version = ? AND "
                                 "criteria_version = ?");
        SQLite::Statement n(db_, "SELECT note_key, html_hash FROM notes_written WHERE "
                                 "library_id = ? AND item_key = ? ORDER BY note_key");
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const judgment_key& k = keys[i];
            j.bind(1, k.library_id);
            j.bind(2, k.item_key);
            j.bind(3, k.content_hash);
            j.bind(4, k.model_version);
            j.bind(5, k.criteria_version);
            if (j.executeStep())
                out[i].judgment = j.getColumn(0).getString();
            j.reset();
            n.bind(1, k.library_id);
            n.bind(2, k.item_key);
            while (n.executeStep())
                out[i].written.push_back({n.getColumn(0).getString(), n.getColumn(1).getString()});
            n.reset();
        }
        tx.commit();
    } catch (const std::exception&) { // best effort, as find_judgment: nothing stored
    }
    return out;
}

void state_store::write_job_row(const job_record& r) {
    SQLite::Statement q(db_, "UPDATE jobs SET state = ?, error = ?, model_version = ?, "
                             "criteria_version = ?, total = ?, done = ?, counts_json = ?, "
                             "cursor_library = ?, cursor_key = ?, plan_entries = ?, "
                             "finished_at = ? WHERE id = ?");
    q.bind(1, r.state);
    if (!r.error.empty())
        q.bind(2, r.error);
    q.bind(3, r.model_version);
    q.bind(4, r.criteria_version);
    q.bind(5, r.total);
    q.bind(6, r.done);
    q.bind(7, counts_text(r.counts));
    if (r.cursor) {
        q.bind(8, r.cursor->first);
        q.bind(9, r.cursor->second);
    }
    q.bind(10, r.plan_entries);
    if (r.finished_at)
        q.bind(11, *r.finished_at);
    q.bind(12, r.id);
    q.exec();
}

boost::system::result<void, std::string> state_store::create_job(job_record& r) try {
    std::lock_guard lock(mutex_);
    SQLite::Transaction tx(db_);
    db_.exec("DELETE FROM jobs WHERE state <> 'running' AND id NOT IN "
             "(SELECT id FROM jobs ORDER BY id DESC LIMIT 19)");
    r.created_at = unix_seconds();
    SQLite::Statement q(db_, "INSERT INTO jobs (scope_json, tag_type, state, model_version, "
                             "criteria_version, total, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, r.scope_json);
    q.bind(2, r.tag_type);
    q.bind(3, r.state);
    q.bind(4, r.model_version);
    q.bind(5, r.criteria_version);
    q.bind(6, r.total);
    q.bind(7, r.created_at);
    q.exec();
    r.id = db_.getLastInsertRowid();
    write_job_row(r);
    tx.commit();
    return {};
} catch (const std::exception& e) {
    return std::string(e.what());
}

boost::system::result<void, std::string> state_store::commit_job_chunk(const job_record& r,
                                                                       const job_chunk& c) try {
    std::lock_guard lock(mutex_);
    SQLite::Transaction tx(db_);
    write_judgments(c.judgments);
    std::int64_t now = unix_seconds();
    SQLite::Statement note(db_, "INSERT INTO notes_written VALUES (?, ?, ?, ?, ?) ON CONFLICT "
                                "(library_id, item_key, note_key) DO UPDATE SET "
                                "html_hash = excluded.html_hash, seen_at = excluded.seen_at");
    for (const auto& n : c.notes) {
        note.bind(1, n.library_id);
        note.bind(2, n.item_key);
        note.bind(3, n.note_key);
        note.bind(4, n.html_hash);
        note.bind(5, now);
        note.exec();
        note.reset();
    }
    SQLite::Statement entry(db_, "INSERT INTO job_plan VALUES (?, ?, ?)");
    std::int64_t seq = r.plan_entries - std::int64_t(c.entries.size());
    for (const auto& e : c.entries) {
        entry.bind(1, r.id);
        entry.bind(2, ++seq);
        entry.bind(3, e);
        entry.exec();
        entry.reset();
    }
    write_job_row(r);
    tx.commit();
    return {};
} catch (const std::exception& e) {
    return std::string(e.what());
}

boost::system::result<void, std::string> state_store::update_job(const job_record& r) try {
    std::lock_guard lock(mutex_);
    write_job_row(r);
    return {};
} catch (const std::exception& e) {
    return std::string(e.what());
}

store_result<std::optional<job_record>> state_store::find_job(std::int64_t id) try {
    std::lock_guard lock(mutex_);
    SQLite::Statement q(db_, std::string("SELECT ") + job_columns + " FROM jobs WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep())
        return std::optional<job_record>();
    return std::optional<job_record>(read_job(q));
} catch (const corrupt_row& e) {
    return store_error{true, e.why};
} catch (const std::exception& e) {
    return store_error{false, e.what()};
}

store_result<std::vector<job_record>> state_store::recent_jobs(std::size_t n) {
    return select_jobs("ORDER BY id DESC LIMIT ?", std::to_string(n));
}

std::vector<job_record> state_store::jobs_in_state(std::string_view state) {
    auto jobs = select_jobs("WHERE state = ? ORDER BY id", std::string(state));
    return jobs ? std::move(*jobs) : std::vector<job_record>();
}

store_result<std::vector<job_record>> state_store::select_jobs(const std::string& tail,
                                                               const std::string& parameter) try {
    std::lock_guard lock(mutex_);
    SQLite::Statement q(db_, std::string("SELECT ") + job_columns + " FROM jobs " + tail);
    q.bind(1, parameter); // SQLite compares a text LIMIT as the integer it spells
    std::vector<job_record> out;
    while (q.executeStep())
        out.push_back(read_job(q));
    return out;
} catch (const corrupt_row& e) {
    return store_error{true, e.why};
} catch (const std::exception& e) {
    return store_error{false, e.what()};
}

store_result<std::vector<plan_row>> state_store::job_plan_page(std::int64_t id, std::int64_t after,
                                                               std::size_t limit) try {
    std::lock_guard lock(mutex_);
    SQLite::Statement q(db_, "SELECT seq, entry_json FROM job_plan WHERE job_id = ? AND seq > ? "
                             "ORDER BY seq LIMIT ?");
    q.bind(1, id);
    q.bind(2, after);
    q.bind(3, std::int64_t(limit));
    std::vector<plan_row> out;
    while (q.executeStep())
        out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString()});
    return out;
} catch (const std::exception& e) {
    return store_error{false, e.what()};
}

} // namespace sieve
