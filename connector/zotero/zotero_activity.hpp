// What the user has done with the items of a Zotero library, for `sieve report`: when each item
// was added, whether it was opened in Zotero's reader, and the group IDs that links into Zotero
// need. Read from the private snapshot that read_zotero_library made (never from the live file).
#pragma once
#include "connector/zotero/zotero_reader.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace sieve {

struct item_activity {
    std::string date_added; // items.dateAdded as stored, "YYYY-MM-DD HH:MM:SS" (UTC)
    // An attachment of the item was opened in Zotero's reader: it has a reading position (synced
    // setting lastPageIndex_u_<key> / lastPageIndex_g<groupID>_<key>) or annotations.
    bool opened = false;
};

struct library_activity {
    std::vector<item_activity> items;               // aligned with zotero_library::items
    std::map<std::int64_t, std::int64_t> group_ids; // libraryID -> groupID (group libraries)
    // (libraryID, key) -> name of every collection not in the trash
    std::map<std::pair<std::int64_t, std::string>, std::string> collection_names;
    bool reader_known = false; // the database keeps reading positions (syncedSettings exists)
};

// Reads dateAdded, reading positions and annotations for every item of `lib`, the group IDs and
// the collection names from lib.snapshot.
// Errors (one line): the snapshot cannot be opened or read (it was replaced meanwhile, ...).
boost::system::result<library_activity, std::string>
read_library_activity(const zotero_library& lib);

// The zotero:// link that selects an item in Zotero: zotero://select/library/items/<key> in the
// user library, zotero://select/groups/<groupID>/items/<key> in a group library.
std::string zotero_select_link(std::int64_t library_id, const std::string& key,
                               const std::map<std::int64_t, std::int64_t>& group_ids);

} // namespace sieve
