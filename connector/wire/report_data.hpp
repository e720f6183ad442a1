// The data of `sieve report` (docs/report.md): a library's judgments aggregated into what the
// page's charts and lists need — verdicts per topic, scores, items added per month, application
// fields, what to read next per topic, versions and dates — so that 100,000 items give a few
// kilobytes of JSON. Pure, no I/O.
#pragma once
#include "classifier/judgment.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sieve {

// One judged item, as the report sees it.
struct report_item {
    std::string id;    // the caller's id ("<libraryID>/<key>" for library items)
    std::string title; // as stored (markup is stripped when it is listed)
    std::string link;  // zotero://select/... ; empty for items of a file
    verdict label = verdict::irrelevant;
    std::vector<std::string> topics;
    int score = 1; // 1..10
    double confidence = 0.0;
    std::string field;      // the application field the judgment names ("field"); empty: none
    std::string date_added; // "YYYY-MM-DD..." (UTC); empty when unknown
    bool opened = false;    // opened in Zotero's reader
    bool tagged_read = false;
    std::string judge;          // e.g. "sieve-local 2026.11.1"; empty when unknown
    std::int64_t judged_at = 0; // unix seconds; 0 when unknown
    std::string reason;         // the judge's own sentence, when the judgment has one
    std::string note_html;      // the judgment's note: its "Why:" line is the listed reason
};

// What the page says about where the items came from.
struct report_context {
    std::string title;  // e.g. "My Library", "My Library › Imaging", "papers.jsonl"
    std::string source; // e.g. "Zotero database /home/me/Zotero/zotero.sqlite"
    std::string sieve_version, model_version, criteria_version;
    std::vector<std::string> topics; // the criteria's topics, in file order
    std::int64_t generated_at = 0;   // unix seconds
    std::size_t from_cache = 0;      // judgments found in the state store
    std::size_t judged_now = 0;      // judgments made for this report
    bool reading_known = true;       // opened / read-tag information was available
};

inline constexpr std::size_t report_list_limit = 50;  // items listed per topic at most
inline constexpr std::size_t report_field_limit = 30; // fields charted; the rest are "other"

// {"meta","totals","topics","scores","months","fields","reading","judges","judged"}: the shape
// docs/report.md describes. Items with several topics count once in each of their topics.
boost::json::object build_report_data(const std::vector<report_item>& items,
                                      const report_context& c);

// "YYYY-MM-DDTHH:MM:SSZ"
std::string iso_utc(std::int64_t unix_seconds);

} // namespace sieve
