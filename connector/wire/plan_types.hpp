// The data of a plan: an item's current tags and notes, and the changes that bring its Sieve tags
// and Sieve note in line with a judgment. Types only (plus note_hash, the hash written notes are
// recorded by); computing plans is connector/jobs/plan.hpp.
#pragma once
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

// 16 lower-case hex digits (64-bit FNV-1a) of `html`.
std::string note_hash(std::string_view html);

} // namespace sieve
