#include "connector/state/stored_judgments.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <set>
#include <string_view>
#include <system_error>
#include <unordered_map>

namespace sieve {

stored_judgments::stored_judgments(const std::filesystem::path& path)
    : db_(path.string(), SQLite::OPEN_READONLY) {
    db_.setBusyTimeout(5000);
}

boost::system::result<std::unique_ptr<stored_judgments>, std::string>
stored_judgments::open(const std::filesystem::path& state_sqlite) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(state_sqlite, ec))
        return "no state store at " + state_sqlite.string();
    try {
        std::unique_ptr<stored_judgments> s(new stored_judgments(state_sqlite));
        if (!s->db_.tableExists("judgments"))
            return "state store " + state_sqlite.string() + " has no judgments table";
        return s;
    } catch (const std::exception& e) {
        return "state store " + state_sqlite.string() + ": " + e.what();
    }
}

namespace {

struct item_hash {
    std::size_t operator()(const std::pair<std::int64_t, std::string_view>& k) const noexcept {
        return std::hash<std::string_view>()(k.second) ^ (std::hash<std::int64_t>()(k.first) << 1);
    }
};

} // namespace

// One pass over the rows of each (model, criteria) the keys name, matched to the keys by item
// and content: a scan reads the table in order, several times faster than one index lookup per
// key for a whole library, and the text is handed over in place (no copy of ~800 bytes a row).
void stored_judgments::scan(const std::string& model, const std::string& criteria,
                            const std::vector<judgment_key>& keys, const visitor& found) {
    std::unordered_map<std::pair<std::int64_t, std::string_view>, std::size_t, item_hash> index;
    index.reserve(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i)
        if (keys[i].model_version == model && keys[i].criteria_version == criteria)
            index.emplace(
                std::pair<std::int64_t, std::string_view>(keys[i].library_id, keys[i].item_key), i);
    SQLite::Statement q(db_, "SELECT library_id, item_key, content_hash, judgment_json, "
                             "created_at FROM judgments WHERE model_version = ? AND "
                             "criteria_version = ?");
    q.bind(1, model);
    q.bind(2, criteria);
    while (q.executeStep()) {
        const SQLite::Column key = q.getColumn(1), hash = q.getColumn(2), json = q.getColumn(3);
        auto it = index.find({q.getColumn(0).getInt64(),
                              std::string_view(key.getText(), std::size_t(key.getBytes()))});
        if (it == index.end() || keys[it->second].content_hash !=
                                     std::string_view(hash.getText(), std::size_t(hash.getBytes())))
            continue;
        found(it->second, std::string_view(json.getText(), std::size_t(json.getBytes())),
              q.getColumn(4).getInt64());
    }
}

bool stored_judgments::visit(const std::vector<judgment_key>& keys, const visitor& found) {
    std::set<std::pair<std::string, std::string>> versions;
    for (const auto& k : keys)
        versions.emplace(k.model_version, k.criteria_version);
    try {
        db_.exec("BEGIN"); // one read snapshot for the whole visit
        for (const auto& [model, criteria] : versions)
            scan(model, criteria, keys, found);
        db_.exec("COMMIT");
        return true;
    } catch (const std::exception&) {
        try {
            db_.exec("ROLLBACK");
        } catch (const std::exception&) { // no transaction open
        }
        return false;
    }
}

} // namespace sieve
