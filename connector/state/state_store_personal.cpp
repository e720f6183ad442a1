// state_store: the personal layer's corrections and the stored layer (schema/state.sql,
// migration 5).
#include "connector/state/state_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <boost/json/parse.hpp>

namespace sieve {

namespace {

// A row's topics_json: the array of strings Sieve writes; false otherwise.
bool read_topics(const std::string& text, std::vector<std::string>& out) {
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_array()) return false;
    for (const auto& t : v.as_array()) {
        if (!t.is_string()) return false;
        out.emplace_back(t.as_string());
    }
    return true;
}

} // namespace

store_result<std::vector<stored_correction>> state_store::active_corrections() try {
    std::lock_guard lock(mutex_);
    // The newest active row per item: no newer active row for the same identity.
    SQLite::Statement q(
        db_, "SELECT id, library_id, item_key, item_id, verdict, topics_json, title, abstract, "
             "criteria_version, created_at FROM feedback AS f WHERE withdrawn_at IS NULL AND "
             "NOT EXISTS (SELECT 1 FROM feedback AS g WHERE g.withdrawn_at IS NULL AND g.id > f.id"
             " AND ((f.library_id IS NOT NULL AND g.library_id = f.library_id AND g.item_key = "
             "f.item_key) OR (f.library_id IS NULL AND g.library_id IS NULL AND g.item_id = "
             "f.item_id))) ORDER BY id");
    std::vector<stored_correction> out;
    while (q.executeStep()) {
        stored_correction c;
        c.id = q.getColumn(0).getInt64();
        if (!q.getColumn(1).isNull()) c.f.library_id = q.getColumn(1).getInt64();
        c.f.item_key = q.getColumn(2).getString();
        c.f.item_id = q.getColumn(3).getString();
        c.f.verdict = q.getColumn(4).getString();
        if (!read_topics(q.getColumn(5).getString(), c.f.topics))
            return store_error{true, "feedback row " + std::to_string(c.id) + ": bad topics_json"};
        c.f.title = q.getColumn(6).getString();
        c.f.abstract = q.getColumn(7).getString();
        c.f.criteria_version = q.getColumn(8).getString();
        c.created_at = q.getColumn(9).getInt64();
        out.push_back(std::move(c));
    }
    return out;
} catch (const std::exception& e) {
    return store_error{false, e.what()};
}

boost::system::result<bool, std::string> state_store::withdraw_feedback(std::int64_t id) try {
    std::lock_guard lock(mutex_);
    SQLite::Statement q(db_, "UPDATE feedback SET withdrawn_at = ? WHERE id = ? AND "
                             "withdrawn_at IS NULL");
    q.bind(1, unix_seconds());
    q.bind(2, id);
    return q.exec() == 1;
} catch (const std::exception& e) {
    return std::string(e.what());
}

boost::system::result<std::int64_t, std::string> state_store::withdraw_all_feedback() try {
    std::lock_guard lock(mutex_);
    SQLite::Transaction t(db_);
    SQLite::Statement q(db_, "UPDATE feedback SET withdrawn_at = ? WHERE withdrawn_at IS NULL");
    q.bind(1, unix_seconds());
    const std::int64_t n = q.exec();
    db_.exec("DELETE FROM personal_layer");
    t.commit();
    return n;
} catch (const std::exception& e) {
    return std::string(e.what());
}

std::optional<stored_personal> state_store::find_personal() try {
    std::lock_guard lock(mutex_);
    SQLite::Statement q(db_, "SELECT fingerprint, corrections, layer_text, agreement, trained_at "
                             "FROM personal_layer WHERE id = 1");
    if (!q.executeStep()) return std::nullopt;
    stored_personal p;
    p.fingerprint = q.getColumn(0).getString();
    p.corrections = q.getColumn(1).getInt64();
    p.layer_text = q.getColumn(2).getString();
    if (!q.getColumn(3).isNull()) p.agreement = q.getColumn(3).getDouble();
    p.trained_at = q.getColumn(4).getInt64();
    return p;
} catch (const std::exception&) {
    return std::nullopt;
}

boost::system::result<void, std::string> state_store::store_personal(const stored_personal& p) try {
    std::lock_guard lock(mutex_);
    SQLite::Statement q(db_, "INSERT OR REPLACE INTO personal_layer VALUES (1, ?, ?, ?, ?, ?)");
    q.bind(1, p.fingerprint);
    q.bind(2, p.corrections);
    q.bind(3, p.layer_text);
    if (p.agreement) q.bind(4, *p.agreement);
    q.bind(5, p.trained_at);
    q.exec();
    return {};
} catch (const std::exception& e) {
    return std::string(e.what());
}

} // namespace sieve
