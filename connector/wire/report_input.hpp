// The inputs of a report that come from outside: lines of `sieve report --input`, judgment JSON
// (from the state store, a file or the API), the reason in a note, read tags. Pure, no I/O.
#pragma once
#include "classifier/paper.hpp"
#include "connector/wire/report_data.hpp"

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sieve {

// The text of the note's "Why:" paragraph (the first <p> that starts with <strong>Why:</strong>),
// tags removed, entities decoded, clipped to about `limit` bytes; empty when there is none.
std::string note_reason(std::string_view note_html, std::size_t limit = 400);

// True for a tag that says the user has read the item: "read" (any case, after leading
// punctuation such as "_", "#", "!"), or a name ending in "/read" or ":read" ("status/read").
bool is_read_tag(std::string_view name);

// One line of `sieve report --input`: either a judgment as `sieve classify` or the HTTP API
// writes it (it has "verdict" and "judge"), or a paper in `sieve classify --input`'s format (then
// `paper` is set: the caller judges it). Both may carry "title", "date_added", "read" (bool),
// "opened" (bool) and "key" (an item key: links into the user library, or the group "group_id");
// an "id" "1/<key>" (`sieve classify --db`) links into the user library too. Errors: one line.
struct report_input_line {
    report_item item;
    std::optional<sieve::paper> paper; // set: a paper to judge
};
boost::system::result<report_input_line, std::string> parse_report_line(std::string_view line);

// Fills the judgment members of `item` (verdict, topics, score, confidence, field, judge; reason
// and note_html of relevant items only, the only ones a report lists) from judgment JSON; false
// when the object is not a judgment.
bool report_item_from_judgment(const boost::json::object& j, report_item& item);

} // namespace sieve
