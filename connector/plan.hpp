// The changes that bring a Zotero item's Sieve tags and Sieve note in line with a judgment.
// Pure: takes the judgment and the item's current tags and notes, returns the plan. Applying a
// plan (remove_tags, then add_tags, then the note action) and planning again gives an empty plan.
#pragma once
#include "classifier/criteria.hpp"
#include "classifier/judgment.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sieve {

struct item_tag {
    std::string tag;
    int type = 0; // Zotero tag type: 0 manual, 1 automatic
    bool operator==(const item_tag&) const = default;
};

struct item_note {
    std::string key;  // Zotero item key of the child note
    std::string html; // itemNotes.note as stored
};

// A note Sieve wrote earlier (from the state store): its key and note_hash() of its HTML.
struct written_note {
    std::string key;
    std::string html_hash;
};

struct item_content {
    std::vector<item_tag> tags;
    std::vector<item_note> notes;
    std::vector<written_note> written; // may be empty: notes are then recognised by markup only
};

enum class note_action {
    create,      // no Sieve note yet: create a child note with `html`
    replace,     // Sieve note `key` is as Sieve wrote it but out of date: set its HTML to `html`
    keep,        // Sieve note `key` is up to date (or there is nothing to write): do nothing
    user_edited, // Sieve note `key` was changed by the user: left alone, reported only
    erase,       // undo only: Sieve note `key` is exactly as Sieve wrote it: delete it ("delete")
};
std::string_view to_string(note_action a);

struct note_plan {
    note_action action = note_action::keep;
    std::string key;  // empty for create, and for keep when there is no Sieve note
    std::string html; // set for create and replace
};

struct plan {
    std::vector<item_tag> add_tags;    // apply after remove_tags
    std::vector<item_tag> remove_tags; // by name; type is the type the item has now
    note_plan note;
    bool empty() const; // no tag change and a note action of keep or user_edited
};

struct plan_options {
    std::string tag_prefix =
        "sieve/";     // every tag Sieve owns starts with it; others are never touched
    int tag_type = 1; // type of the tags Sieve adds (automatic)
};

// The Sieve tags a judgment calls for: <prefix><verdict> and <prefix>topic/<topic name>.
std::vector<std::string> sieve_tags(const judgment& j, std::string_view prefix);

// The note HTML Sieve writes for `note_html`: its root <div data-sieve-note="1"> carries
// data-sieve-hash, the note_hash() of the HTML without that attribute, so later edits are seen.
// A fragment without such a root is wrapped in one. Empty input gives an empty string.
std::string stamp_note(std::string_view note_html);

// 16 lower-case hex digits (64-bit FNV-1a) of `html`.
std::string note_hash(std::string_view html);

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
