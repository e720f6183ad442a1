// state_store: the LLM judge's tables (schema/state.sql, migration 2).
#include "connector/state/state_store.hpp"

#include <SQLiteCpp/Statement.h>

#include <chrono>

namespace sieve {

std::optional<std::string> state_store::find_llm_judgment(const std::string& content_hash,
                                                          const std::string& criteria_version,
                                                          const std::string& llm_model) try {
    std::lock_guard lock(mutex_);
    SQLite::Statement q(db_, "SELECT judgment_json FROM llm_judgments WHERE content_hash = ? AND "
                             "criteria_version = ? AND llm_model = ?");
    q.bind(1, content_hash);
    q.bind(2, criteria_version);
    q.bind(3, llm_model);
    if (!q.executeStep())
        return std::nullopt;
    return q.getColumn(0).getString();
} catch (const std::exception&) {
    return std::nullopt;
}

void state_store::store_llm_judgment(const std::string& content_hash,
                                     const std::string& criteria_version,
                                     const std::string& llm_model,
                                     const std::string& judgment_json) try {
    std::lock_guard lock(mutex_);
    SQLite::Statement q(db_, "INSERT OR REPLACE INTO llm_judgments VALUES (?, ?, ?, ?, ?)");
    q.bind(1, content_hash);
    q.bind(2, criteria_version);
    q.bind(3, llm_model);
    q.bind(4, judgment_json);
    q.bind(5, std::int64_t(std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count()));
    q.exec();
} catch (const std::exception&) {
}

void state_store::add_llm_usage(const std::string& day, std::int64_t prompt_tokens,
                                std::int64_t completion_tokens) try {
    std::lock_guard lock(mutex_);
    SQLite::Statement q(db_, "INSERT INTO llm_usage VALUES (?, ?, ?, 1) ON CONFLICT (day) DO "
                             "UPDATE SET prompt_tokens = prompt_tokens + excluded.prompt_tokens, "
                             "completion_tokens = completion_tokens + excluded.completion_tokens, "
                             "requests = requests + 1");
    q.bind(1, day);
    q.bind(2, prompt_tokens);
    q.bind(3, completion_tokens);
    q.exec();
} catch (const std::exception&) {
}

state_store::llm_usage state_store::llm_usage_on(const std::string& day) try {
    std::lock_guard lock(mutex_);
    SQLite::Statement q(db_, "SELECT prompt_tokens, completion_tokens, requests FROM llm_usage "
                             "WHERE day = ?");
    q.bind(1, day);
    if (!q.executeStep())
        return {};
    return {q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64()};
} catch (const std::exception&) {
    return {};
}

} // namespace sieve
