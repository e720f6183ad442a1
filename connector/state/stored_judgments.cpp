#include "connector/state/stored_judgments.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <system_error>

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

std::vector<std::optional<stored_judgment>>
stored_judgments::find(const std::vector<judgment_key>& keys) {
    std::vector<std::optional<stored_judgment>> out(keys.size());
    try {
        db_.exec("BEGIN"); // one read snapshot for the whole batch
        SQLite::Statement q(db_, "SELECT judgment_json, created_at FROM judgments WHERE "
                                 "library_id = ? AND item_key = ? AND content_hash = ? AND "
                                 "model_version = ? AND criteria_version = ?");
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const judgment_key& k = keys[i];
            q.bind(1, k.library_id);
            q.bind(2, k.item_key);
            q.bind(3, k.content_hash);
            q.bind(4, k.model_version);
            q.bind(5, k.criteria_version);
            if (q.executeStep())
                out[i] = stored_judgment{q.getColumn(0).getString(), q.getColumn(1).getInt64()};
            q.reset();
        }
        db_.exec("COMMIT");
    } catch (const std::exception&) {
        try {
            db_.exec("ROLLBACK");
        } catch (const std::exception&) { // no transaction open
        }
    }
    return out;
}

} // namespace sieve
