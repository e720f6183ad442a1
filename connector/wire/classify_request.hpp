// The body of POST /v1/classify (schema/api/classify.request.schema.json), parsed and checked.
#pragma once
#include "connector/wire/json_check.hpp"
#include "connector/wire/plan_types.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sieve {

// An item described by the caller: metadata plus its current tags and child notes. With a
// library identity (libraryID and key, both or neither) its judgment is cached and the notes
// Sieve wrote on it are remembered.
struct inline_item {
    std::optional<std::string> id;
    std::optional<std::int64_t> library_id;
    std::string key; // set when library_id is
    std::string title;
    std::string abstract;
    std::string item_type;
    std::string venue;
    std::vector<item_tag> tags;
    std::vector<item_note> notes;
};

// An item to read from the Zotero library.
struct item_ref {
    std::int64_t library_id = 0;
    std::string key;
};

using classify_item = std::variant<inline_item, item_ref>;

struct classify_request {
    std::vector<classify_item> items;
    int tag_type = 1; // "tagType": the type of the tags plans add (1 automatic, 0 manual)
};

// {"libraryID": <integer >= 1>, "key": <non-empty string>} at `path`, no other keys.
boost::system::result<item_ref, jcheck::error> parse_item_ref(const boost::json::value& v,
                                                              const std::string& path);

// The optional "tagType" (0 or 1) of a request object into `out`; an error when out of range.
std::optional<jcheck::error> parse_tag_type(const boost::json::object& o, int& out);

// One element of "items" at `path`: a reference when it has no title but a libraryID or key,
// else inline metadata (title and abstract required). Errors as below.
boost::system::result<classify_item, jcheck::error> parse_classify_item(const boost::json::value& v,
                                                                       const std::string& path);

// The body of POST /v1/undo (schema/api/undo.request.schema.json): inline items whose title and
// abstract may be omitted.
struct undo_request {
    std::vector<inline_item> items;
    int tag_type = 1;
};
boost::system::result<undo_request, jcheck::error>
parse_undo_request(const boost::json::value& body);

// Largest `items` array accepted (the schema's maxItems).
inline constexpr std::size_t max_classify_items = 1000;

// Checks the parsed request body. Errors: the first value that breaks the schema (wrong type,
// unknown or missing key, out-of-range integer, too many items), with its JSON path.
boost::system::result<classify_request, jcheck::error>
parse_classify_request(const boost::json::value& body);

} // namespace sieve
