// What /v1/classify and bulk jobs share: the paper and content of a library item, its tags as
// keywords, and whether its library may be written. Pure, no I/O.
#pragma once
#include "classifier/judgment.hpp"
#include "classifier/paper.hpp"
#include "connector/wire/plan_types.hpp"
#include "connector/zotero/zotero_reader.hpp"

#include <string>
#include <string_view>

namespace sieve {

// The paper of a library item, id "<libraryID>/<key>"; tags become keywords except those with
// `tag_prefix` (Sieve's own output is no evidence).
paper paper_from_item(const zotero_item& z, std::string_view tag_prefix);

// The item's current tags and child notes, as a plan is computed against them.
item_content content_from_item(const zotero_item& z);

// Tag names that do not start with `prefix`.
std::vector<std::string> keywords_from_tags(const std::vector<item_tag>& tags,
                                            std::string_view prefix);

// Whether items of `library_id` may be written: libraries.editable (unknown libraries: true).
bool library_editable(const zotero_library* lib, std::int64_t library_id);

} // namespace sieve
