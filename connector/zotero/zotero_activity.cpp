#include "connector/zotero/zotero_activity.hpp"

#include "connector/zotero/sqlite_rows.hpp"
#include "connector/zotero/zotero_snapshot.hpp"

#include <unordered_map>

namespace sieve {

namespace {

bool has_table(SQLite::Database& db, const char* name) {
    sqlite_rows q(db, std::string("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '") +
                          name + "'");
    return q.step();
}

using index_map = std::unordered_map<std::int64_t, std::size_t>; // itemID -> position in items

void read_dates(SQLite::Database& db, const index_map& index, library_activity& out) {
    sqlite_rows q(db, "SELECT itemID, dateAdded FROM items");
    while (q.step())
        if (auto it = index.find(q.int64(0)); it != index.end())
            out.items[it->second].date_added = std::string(q.text(1));
}

void mark_opened(sqlite_rows& q, const index_map& index, library_activity& out) {
    while (q.step())
        if (auto it = index.find(q.int64(0)); it != index.end())
            out.items[it->second].opened = true;
}

// Parents of attachments with a reading position. Zotero keys the position by the attachment:
// "lastPageIndex_" + ("u" in the user library, "g<groupID>" in a group) + "_" + key, stored in the
// user library's synced settings (zotero/zotero chrome/content/zotero/xpcom/data/item.js,
// Zotero.Item.prototype._getLastPageIndexSettingKey).
void read_positions(SQLite::Database& db, bool groups, const index_map& index,
                    library_activity& out) {
    const std::string lib_tag =
        groups ? "CASE WHEN l.type = 'user' THEN 'u' ELSE 'g' || g.groupID END" : "'u'";
    const std::string join_groups =
        groups ? " LEFT JOIN groups g ON g.libraryID = i.libraryID" : "";
    sqlite_rows q(db,
                  "SELECT a.parentItemID FROM itemAttachments a"
                  " JOIN items i ON i.itemID = a.itemID"
                  " JOIN libraries l ON l.libraryID = i.libraryID" +
                      join_groups +
                      " WHERE a.parentItemID IS NOT NULL AND EXISTS (SELECT 1 FROM syncedSettings s"
                      " WHERE s.setting = 'lastPageIndex_' || " +
                      lib_tag + " || '_' || i.key)");
    mark_opened(q, index, out);
}

void read_annotated(SQLite::Database& db, const index_map& index, library_activity& out) {
    sqlite_rows q(db, "SELECT DISTINCT a.parentItemID FROM itemAnnotations n"
                      " JOIN itemAttachments a ON a.itemID = n.parentItemID"
                      " WHERE a.parentItemID IS NOT NULL");
    mark_opened(q, index, out);
}

void read_collections(SQLite::Database& db, library_activity& out) {
    const bool trash = has_table(db, "deletedCollections");
    sqlite_rows q(db, std::string("SELECT libraryID, key, collectionName FROM collections") +
                          (trash ? " WHERE collectionID NOT IN (SELECT collectionID FROM "
                                   "deletedCollections)"
                                 : ""));
    while (q.step())
        out.collection_names[{q.int64(0), std::string(q.text(1))}] = std::string(q.text(2));
}

} // namespace

boost::system::result<library_activity, std::string>
read_library_activity(const zotero_library& lib) {
    library_activity out;
    out.items.resize(lib.items.size());
    index_map index;
    index.reserve(lib.items.size());
    for (std::size_t i = 0; i < lib.items.size(); ++i)
        index.emplace(lib.items[i].item_id, i);
    try {
        SQLite::Database db(immutable_uri(lib.snapshot),
                            SQLite::OPEN_READONLY | SQLite::OPEN_URI | SQLite::OPEN_NOMUTEX);
        read_dates(db, index, out);
        const bool groups = has_table(db, "groups");
        if (groups) {
            sqlite_rows q(db, "SELECT libraryID, groupID FROM groups");
            while (q.step())
                out.group_ids[q.int64(0)] = q.int64(1);
        }
        if (has_table(db, "collections"))
            read_collections(db, out);
        const bool attachments = has_table(db, "itemAttachments");
        out.reader_known = attachments && has_table(db, "syncedSettings");
        if (out.reader_known)
            read_positions(db, groups, index, out);
        if (attachments && has_table(db, "itemAnnotations"))
            read_annotated(db, index, out);
    } catch (const std::exception& e) {
        return {boost::system::in_place_error,
                "cannot read the library snapshot " + lib.snapshot.string() + ": " + e.what()};
    }
    return out;
}

std::string zotero_select_link(std::int64_t library_id, const std::string& key,
                               const std::map<std::int64_t, std::int64_t>& group_ids) {
    if (auto g = group_ids.find(library_id); g != group_ids.end())
        return "zotero://select/groups/" + std::to_string(g->second) + "/items/" + key;
    return "zotero://select/library/items/" + key;
}

} // namespace sieve
