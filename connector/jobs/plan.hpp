// The changes that bring a Zotero item's Sieve tags and Sieve note in line with a judgment.
// Pure: takes the judgment and the item's current tags and notes, returns the plan. Applying a
// plan (remove_tags, then add_tags, then the note action) and planning again gives an empty plan.
#pragma once
#include "classifier/criteria.hpp"
#include "classifier/judgment.hpp"
#include "connector/wire/plan_types.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sieve {

// The Sieve tags a judgment calls for: <prefix><verdict> and <prefix>topic/<topic name>.
std::vector<std::string> sieve_tags(const judgment& j, std::string_view prefix);

// The note HTML Sieve writes for `note_html`: its root <div data-sieve-note="1"> carries
// data-sieve-hash, the note_hash() of the HTML without that attribute, so later edits are seen.
// A fragment without such a root is wrapped in one. Empty input gives an empty string.
std::string stamp_note(std::string_view note_html);

// True when the note's root element (or the first element inside Zotero's
// <div data-schema-version> wrapper) is a div with the data-sieve-note attribute.
bool is_sieve_note(std::string_view html);

// True when is_sieve_note(html) and its data-sieve-hash matches the rest of the HTML, i.e. the
// note is exactly as Sieve wrote it.
bool stamp_intact(std::string_view html);

// Computes the plan. Tags without opts.tag_prefix are never added, removed or retyped; prefixed
// tags of another type than opts.tag_type are the user's: kept (never removed or retyped), and a
// wanted tag the item already has in any type is not added again. The Sieve
// note is the first note that is_sieve_note() or whose key is in item.written; it is replaced only
// when its HTML is exactly what Sieve wrote (stamp intact, or hash equal to the written record).
plan compute_plan(const judgment& j, const item_content& item, const plan_options& opts);

// The plan that takes Sieve's work off an item: remove every prefixed tag of opts.tag_type, and
// erase the Sieve note when it is exactly as Sieve wrote it (user_edited otherwise; keep when
// there is none). Nothing is added.
plan compute_undo_plan(const item_content& item, const plan_options& opts);

} // namespace sieve
