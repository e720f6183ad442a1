// JSON <-> papers and judgments, for the CLI's JSONL, the HTTP API and the state store's
// judgment cache (content_hash: what a cached judgment is keyed by).
#pragma once
#include "classifier/criteria.hpp"
#include "classifier/judgment.hpp"
#include "classifier/paper.hpp"
#include "classifier/training.hpp"

#include <boost/json.hpp>
#include <boost/system/result.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace sieve {

// One JSONL line of the corpus or of `sieve classify --input`: requires "title" (string) and
// "abstract" (string or null); "id" may be a string or number. Optional: "item_type", "venue",
// "keywords" (array of strings), "label" ("relevant" | "not_relevant"),
// "verdict" (relevant | application | irrelevant; "ambiguous" means unknown), "topics".
// The error is a one-line reason.
boost::system::result<labelled_paper, std::string> parse_paper_line(std::string_view line);

// {"field","begin","end","quote","criterion":{"line","kind","topic"} or null,"supports","weight"}:
// supports is the model head the span weighed in (null: a criteria phrase match only), weight
// the span's contribution to that head's margin.
boost::json::object evidence_json(const evidence& e, const criteria& c,
                                  boost::json::storage_ptr sp = {});

// {"id","verdict","topics","score","confidence","evidence","field","thin_evidence","note_html",
// "judge"}; field: the research field the model reads (null: none known). Allocated from sp.
boost::json::object judgment_json(std::string_view id, const judgment& j, const criteria& c,
                                  boost::json::storage_ptr sp = {});

std::string_view kind_label(line_kind k); // "topic_relevant", "keywords_application", ...

// note_hash of everything a judgment is made from (title, abstract, type, venue, keywords).
std::string content_hash(const paper& p);

// The judgment a stored judgment JSON (as judgment_json writes it) stands for, as far as plans
// need it (verdict, topics, note). None when the text is not such JSON; `out` then unchanged.
std::optional<judgment> judgment_from_json(std::string_view text, boost::json::object& out);

} // namespace sieve
