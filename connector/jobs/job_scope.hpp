// The body of POST /v1/jobs (schema/api/jobs.request.schema.json) and the library items it
// names, in the order a job judges them: (libraryID, key).
#pragma once
#include "connector/wire/classify_request.hpp"
#include "connector/wire/json_check.hpp"
#include "connector/zotero/zotero_reader.hpp"

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sieve {

struct job_scope {
    enum class kind { library, collection, items };
    kind what = kind::library;
    std::optional<std::int64_t> library_id; // library: absent = every library
    std::string collection_key;             // collection
    std::vector<item_ref> items;            // items, sorted by (libraryID, key), no duplicates
    int tag_type = 1;
};

inline constexpr std::size_t max_job_items = 50000;

// Errors: the first value that breaks the schema, with its JSON path.
boost::system::result<job_scope, jcheck::error> parse_job_request(const boost::json::value& body);

struct job_selection {
    std::vector<const zotero_item*> items; // in judging order
    std::int64_t missing = 0;              // items-scope references not in the library
};

// The items of `scope` in `lib` that come after `cursor` (all when none), in judging order.
// Pointers stay valid while `lib` lives.
job_selection select_job_items(const zotero_library& lib, const job_scope& scope,
                               const std::optional<std::pair<std::int64_t, std::string>>& cursor);

// True when the scope names a library `lib` does not hold (library or collection scope).
bool names_unknown_library(const zotero_library& lib, const job_scope& scope);

} // namespace sieve
