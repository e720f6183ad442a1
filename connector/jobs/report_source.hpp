// The items of a report over a Zotero library — all of it, one library, or one collection — as
// `sieve report --db` and GET /v1/report see them: each item's judgment from the state store when
// its content, model and criteria are those of the stored one (what the extension applied), else
// made now by the local classifier (on two threads; nothing is stored); with when the item was
// added, whether it was opened or tagged as read, and its zotero://select link. Titles, notes
// and reasons are kept for relevant items only (the only ones a report lists).
#pragma once
#include "classifier/classifier.hpp"
#include "connector/state/stored_judgments.hpp"
#include "connector/wire/report_data.hpp"
#include "connector/zotero/zotero_reader.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sieve {

struct report_scope {
    std::optional<std::int64_t> library_id; // none: every library
    std::string collection_key;             // non-empty: that collection of library_id only
};

struct report_source_options {
    std::string tag_prefix = "sieve/"; // as `sieve serve --tag-prefix`: the cache key depends on it
    stored_judgments* store = nullptr; // null: every item is judged now
};

struct report_build {
    std::vector<report_item> items;
    report_context context; // title, topics, versions, counts; source and sieve_version unset
};

// Errors (one line): the scope names a library or collection the database does not hold.
boost::system::result<report_build, std::string>
collect_library_report(const zotero_library& lib, const report_scope& scope, const classifier& clf,
                       const report_source_options& options);

// Judges `papers[i]` into `items[i]` (verdict, topics, score, ..., judge, judged_at = now) for
// every i with `todo[i]`, on two threads.
void judge_report_items(const classifier& clf, const std::vector<paper>& papers,
                        const std::vector<bool>& todo, std::vector<report_item>& items);

} // namespace sieve
