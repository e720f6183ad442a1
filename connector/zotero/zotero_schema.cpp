#include "connector/zotero/zotero_schema.hpp"

#include "connector/zotero/sqlite_rows.hpp"

#include <array>
#include <utility>

namespace sieve {

namespace {

constexpr std::array<std::pair<std::string_view, field_role>, 8> role_fields = {{
    {"title", field_role::title},
    {"abstractNote", field_role::abstract},
    {"date", field_role::date},
    {"publicationTitle", field_role::venue},
    {"DOI", field_role::doi},
    {"url", field_role::url},
    {"extra", field_role::extra},
    {"archiveID", field_role::archive_id},
}};

} // namespace

zotero_schema inspect_schema(SQLite::Database& db) {
    const auto has = [&](const char* t) { return db.tableExists(t); };
    for (const char* t : {"items", "itemData", "itemDataValues", "libraries", "version"})
        if (!has(t))
            throw not_zotero_error{std::string("no '") + t + "' table"};
    zotero_schema s;
    s.item_types = has("itemTypesCombined") ? "itemTypesCombined" : "itemTypes";
    s.fields = has("fieldsCombined") ? "fieldsCombined" : "fields";
    s.base_fields = has("baseFieldMappingsCombined") ? "baseFieldMappingsCombined"
                    : has("baseFieldMappings")       ? "baseFieldMappings"
                                                     : "";
    if (!has(s.item_types.c_str()) || !has(s.fields.c_str()))
        throw not_zotero_error{"no item type or field tables"};
    s.deleted_items = has("deletedItems");
    s.feed_items = has("feedItems");
    s.notes = has("itemNotes");
    s.attachments = has("itemAttachments");
    s.annotations = has("itemAnnotations");
    s.tags = has("tags") && has("itemTags");
    s.collections = has("collections") && has("collectionItems");
    s.deleted_collections = has("deletedCollections");
    s.creators = has("creators") && has("itemCreators");
    s.groups = has("groups");
    return s;
}

int userdata_version(SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT version FROM version WHERE schema = 'userdata'");
    if (!q.executeStep())
        throw not_zotero_error{"no userdata schema version"};
    return q.getColumn(0).getInt();
}

std::vector<zotero_library_info> read_libraries(SQLite::Database& db, const zotero_schema& s) {
    const std::string sql =
        s.groups ? "SELECT l.libraryID, l.type, l.editable, g.name FROM libraries l "
                   "LEFT JOIN groups g ON g.libraryID = l.libraryID ORDER BY l.libraryID"
                 : "SELECT libraryID, type, editable, NULL FROM libraries ORDER BY libraryID";
    std::vector<zotero_library_info> out;
    sqlite_rows q(db, sql);
    while (q.step()) {
        zotero_library_info lib{q.int64(0), std::string(q.text(1)), q.int64(2) != 0,
                                std::string(q.text(3))};
        if (lib.type != "user" && lib.type != "group")
            continue; // feeds, legacy "publications"
        if (lib.type == "user" && lib.name.empty())
            lib.name = "My Library";
        out.push_back(std::move(lib));
    }
    return out;
}

std::unordered_map<std::int64_t, field_role> field_roles(SQLite::Database& db, const zotero_schema& s) {
    std::unordered_map<std::int64_t, field_role> roles;
    sqlite_rows q(db, "SELECT fieldID, fieldName FROM " + s.fields);
    while (q.step()) {
        const std::string_view name = q.text(1);
        for (const auto& [field, r] : role_fields)
            if (name == field)
                roles[q.int64(0)] = r;
    }
    if (s.base_fields.empty())
        return roles;
    sqlite_rows m(db, "SELECT DISTINCT fieldID, baseFieldID FROM " + s.base_fields);
    while (m.step()) {
        const auto base = roles.find(m.int64(1));
        if (base != roles.end())
            roles.emplace(m.int64(0), base->second);
    }
    return roles;
}

std::string regular_items_sql(const zotero_schema& s) {
    std::string sql = "SELECT i.itemID, i.libraryID, i.key, t.typeName, i.dateModified "
                      "FROM items i JOIN " +
                      s.item_types +
                      " t ON t.itemTypeID = i.itemTypeID "
                      "WHERE t.typeName NOT IN ('attachment', 'note', 'annotation') "
                      "AND +i.libraryID IN (SELECT libraryID FROM libraries "
                      "WHERE type IN ('user', 'group'))";
    const std::pair<bool, const char*> excluded[] = {{s.deleted_items, "deletedItems"},
                                                     {s.feed_items, "feedItems"},
                                                     {s.notes, "itemNotes"},
                                                     {s.attachments, "itemAttachments"},
                                                     {s.annotations, "itemAnnotations"}};
    for (const auto& [present, table] : excluded)
        if (present)
            sql += std::string(" AND i.itemID NOT IN (SELECT itemID FROM ") + table + ")";
    return sql + " ORDER BY i.itemID";
}

} // namespace sieve
