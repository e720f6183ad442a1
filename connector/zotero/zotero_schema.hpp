// What the reader needs to know of a Zotero database's schema, resolved by name from what the
// file holds (never by numeric IDs): which tables exist, which field feeds which zotero_item
// member, the libraries, and the query of regular items. Internal to connector/zotero/.
// Errors: inspect_schema and userdata_version throw not_zotero_error when the file is no Zotero
// database; SQLite errors propagate as SQLite::Exception (caught by read_zotero_library).
#pragma once
#include "connector/zotero/zotero_reader.hpp"

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sieve {

// Which zotero_item member a field feeds. Resolved from field names, never from field IDs.
enum class field_role : std::uint8_t {
    none, title, abstract, date, venue, doi, url, extra, archive_id
};

// Thrown when the file is not a Zotero database (a core table or the schema version is missing).
struct not_zotero_error {
    std::string why;
};

// Table names, chosen from what this database has (Zotero 5+ keeps *Combined views of custom
// and built-in types/fields; older files only the plain tables).
struct zotero_schema {
    std::string item_types, fields, base_fields;
    bool deleted_items = false, feed_items = false, notes = false, attachments = false,
         annotations = false, tags = false, collections = false, deleted_collections = false,
         creators = false, groups = false;
};

// The tables this database has; throws not_zotero_error when a core table is missing.
zotero_schema inspect_schema(SQLite::Database& db);

// The userdata schema version (version table); throws not_zotero_error when absent.
int userdata_version(SQLite::Database& db);

// User and group libraries (feeds and legacy kinds left out), by libraryID.
std::vector<zotero_library_info> read_libraries(SQLite::Database& db, const zotero_schema& s);

// fieldID -> field_role, through field names and the base-field mappings (caseName -> title, ...).
std::unordered_map<std::int64_t, field_role> field_roles(SQLite::Database& db, const zotero_schema& s);

// SELECT itemID, libraryID, key, typeName, dateModified of regular items (no notes,
// attachments, annotations, trashed or feed items), by itemID.
std::string regular_items_sql(const zotero_schema& s);

} // namespace sieve
