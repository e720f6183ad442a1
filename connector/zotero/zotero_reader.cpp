// read_zotero_library: snapshot, then a handful of set-based queries grouped in memory by itemID,
// on two connections in parallel (fields on one; creators, tags, collections, notes on the other).
#include "connector/zotero/zotero_reader.hpp"

#include "connector/zotero/sqlite_rows.hpp"
#include "connector/zotero/zotero_schema.hpp"
#include "connector/zotero/zotero_item_index.hpp"
#include "connector/zotero/zotero_snapshot.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <exception>
#include <future>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace sieve {

namespace {

std::vector<zotero_item> read_items(SQLite::Database& db, const zotero_schema& s, item_index& index) {
    std::vector<zotero_item> items;
    sqlite_rows q(db, regular_items_sql(s));
    while (q.step()) {
        zotero_item& it = items.emplace_back();
        it.item_id = q.int64(0);
        it.library_id = q.int64(1);
        it.key = q.text(2);
        it.item_type = q.text(3);
        it.date_modified = q.text(4);
        index.add(it.item_id, items.size() - 1);
    }
    return items;
}

std::string* role_member(zotero_item& it, field_role r) {
    switch (r) {
    case field_role::title:
        return &it.title;
    case field_role::abstract:
        return &it.abstract;
    case field_role::date:
        return &it.date;
    case field_role::venue:
        return &it.venue;
    case field_role::doi:
        return &it.doi;
    case field_role::url:
        return &it.url;
    case field_role::extra:
        return &it.extra;
    case field_role::archive_id:
    case field_role::none:
        break;
    }
    return nullptr;
}

struct wanted_value {
    std::int64_t value_id;
    std::size_t item;
    field_role r;
};

// (valueID, item, field_role) for every itemData row feeding a field_role of a regular item, by valueID.
std::vector<wanted_value> wanted_values(SQLite::Database& db, const zotero_schema& s,
                                        const item_index& index) {
    const auto roles = field_roles(db, s);
    std::vector<wanted_value> wanted;
    sqlite_rows data(db, "SELECT itemID, fieldID, valueID FROM itemData");
    while (data.step()) {
        const auto r = roles.find(data.int64(1));
        if (r == roles.end())
            continue;
        const std::size_t item = index.find(data.int64(0));
        if (item != item_index::none)
            wanted.push_back({data.int64(2), item, r->second});
    }
    std::sort(wanted.begin(), wanted.end(),
              [](const wanted_value& a, const wanted_value& b) { return a.value_id < b.value_id; });
    return wanted;
}

// Field values; returns archiveID values by item index (only used to find arXiv IDs). Two
// sequential scans (itemData, then itemDataValues in rowid order) merged in memory: much faster
// than a join that looks every value up at random in a large itemDataValues table.
std::unordered_map<std::size_t, std::string> read_fields(SQLite::Database& db, const zotero_schema& s,
                                                         std::vector<zotero_item>& items,
                                                         const item_index& index) {
    const std::vector<wanted_value> wanted = wanted_values(db, s, index);
    std::unordered_map<std::size_t, std::string> archive_ids;
    sqlite_rows values(db, "SELECT valueID, value FROM itemDataValues ORDER BY valueID");
    auto next = wanted.begin();
    while (next != wanted.end() && values.step()) {
        const std::int64_t id = values.int64(0);
        while (next != wanted.end() && next->value_id < id)
            ++next;
        if (next == wanted.end() || next->value_id != id)
            continue;
        const std::string_view value = values.text(1);
        for (; next != wanted.end() && next->value_id == id; ++next) {
            std::string* member = next->r == field_role::archive_id
                                      ? &archive_ids[next->item]
                                      : role_member(items[next->item], next->r);
            if (member && member->empty())
                member->assign(value);
        }
    }
    return archive_ids;
}

void read_creators(SQLite::Database& db, std::vector<zotero_item>& items, const item_index& index) {
    sqlite_rows q(db, "SELECT ic.itemID, c.firstName, c.lastName, c.fieldMode "
                      "FROM itemCreators ic JOIN creators c ON c.creatorID = ic.creatorID "
                      "ORDER BY ic.itemID, ic.orderIndex");
    while (q.step()) {
        const std::size_t item = index.find(q.int64(0));
        if (item == item_index::none)
            continue;
        const std::string_view first = q.text(1);
        std::string name(q.text(2));
        if (q.int64(3) == 0 && !first.empty()) {
            if (!name.empty())
                name += ", ";
            name += first;
        }
        if (!name.empty())
            items[item].creators.push_back(std::move(name));
    }
}

void read_tags(SQLite::Database& db, std::vector<zotero_item>& items, const item_index& index) {
    sqlite_rows q(db, "SELECT it.itemID, t.name, it.type FROM itemTags it "
                      "JOIN tags t ON t.tagID = it.tagID");
    while (q.step()) {
        const std::size_t item = index.find(q.int64(0));
        if (item != item_index::none)
            items[item].tags.push_back({std::string(q.text(1)), static_cast<int>(q.int64(2))});
    }
}

void read_collections(SQLite::Database& db, const zotero_schema& s, std::vector<zotero_item>& items,
                      const item_index& index) {
    std::string sql = "SELECT ci.itemID, c.key FROM collectionItems ci "
                      "JOIN collections c ON c.collectionID = ci.collectionID";
    if (s.deleted_collections)
        sql += " WHERE c.collectionID NOT IN (SELECT collectionID FROM deletedCollections)";
    sqlite_rows q(db, sql);
    while (q.step()) {
        const std::size_t item = index.find(q.int64(0));
        if (item != item_index::none)
            items[item].collections.emplace_back(q.text(1));
    }
}

void read_notes(SQLite::Database& db, const zotero_schema& s, std::vector<zotero_item>& items,
                const item_index& index) {
    std::string sql = "SELECT n.parentItemID, n.itemID, i.key, n.note FROM itemNotes n "
                      "JOIN items i ON i.itemID = n.itemID WHERE n.parentItemID IS NOT NULL";
    if (s.deleted_items)
        sql += " AND n.itemID NOT IN (SELECT itemID FROM deletedItems)";
    sqlite_rows q(db, sql + " ORDER BY n.itemID");
    while (q.step()) {
        const std::size_t item = index.find(q.int64(0));
        if (item != item_index::none)
            items[item].notes.push_back(
                {q.int64(1), std::string(q.text(2)), std::string(q.text(3))});
    }
}

SQLite::Database open_snapshot(const std::filesystem::path& file) {
    return SQLite::Database(immutable_uri(file),
                            SQLite::OPEN_READONLY | SQLite::OPEN_URI | SQLite::OPEN_NOMUTEX);
}

// Creators, tags, collections and notes, on a connection of its own. Touches only those members
// of `items`, so it may run while read_fields fills the others.
void read_children(const std::filesystem::path& file, const zotero_schema& s,
                   std::vector<zotero_item>& items, const item_index& index) {
    SQLite::Database db = open_snapshot(file);
    if (s.creators)
        read_creators(db, items, index);
    if (s.tags)
        read_tags(db, items, index);
    if (s.collections)
        read_collections(db, s, items, index);
    if (s.notes)
        read_notes(db, s, items, index);
}

void finish_items(std::vector<zotero_item>& items,
                  const std::unordered_map<std::size_t, std::string>& archive_ids) {
    for (std::size_t i = 0; i < items.size(); ++i) {
        zotero_item& it = items[i];
        if (it.doi.empty())
            it.doi = doi_from_extra(it.extra);
        std::string extra = it.extra;
        if (const auto a = archive_ids.find(i); a != archive_ids.end())
            extra += "\n" + a->second;
        it.arxiv_id = find_arxiv_id(it.url, it.doi, extra);
        std::sort(it.tags.begin(), it.tags.end(),
                  [](const zotero_tag& a, const zotero_tag& b) { return a.name < b.name; });
        std::sort(it.collections.begin(), it.collections.end());
    }
    std::sort(items.begin(), items.end(), [](const zotero_item& a, const zotero_item& b) {
        return std::tie(a.library_id, a.key) < std::tie(b.library_id, b.key);
    });
}

zotero_library read_snapshot(const std::filesystem::path& file) {
    SQLite::Database db = open_snapshot(file);
    const zotero_schema s = inspect_schema(db);
    zotero_library lib;
    lib.userdata_version = userdata_version(db);
    lib.libraries = read_libraries(db, s);
    item_index index;
    lib.items = read_items(db, s, index);
    auto children =
        std::async(std::launch::async, [&] { read_children(file, s, lib.items, index); });
    std::unordered_map<std::size_t, std::string> archive_ids;
    try {
        archive_ids = read_fields(db, s, lib.items, index);
    } catch (...) {
        children.wait();
        throw;
    }
    children.get();
    finish_items(lib.items, archive_ids);
    return lib;
}

// The error for the exception being handled while reading the snapshot of `db`.
zotero_errc current_failure(const std::filesystem::path& db, std::string& why) {
    try {
        throw;
    } catch (const not_zotero_error& e) {
        why = db.string() + " is not a Zotero database (" + e.why + ")";
        return zotero_errc::not_zotero;
    } catch (const SQLite::Exception& e) {
        if (e.getErrorCode() == SQLITE_ERROR) { // no such table / column: not a schema we know
            why = db.string() + " has an unsupported Zotero schema: " + e.what();
            return zotero_errc::not_zotero;
        }
        const bool io = e.getErrorCode() == SQLITE_CANTOPEN || e.getErrorCode() == SQLITE_IOERR;
        why = io ? std::string("cannot read the snapshot: ") + e.what()
                 : db.string() + " is damaged: " + e.what();
        return io ? zotero_errc::io : zotero_errc::corrupt;
    } catch (const std::bad_alloc&) {
        why = "out of memory while reading " + db.string();
        return zotero_errc::io;
    } catch (const std::system_error& e) { // no second reading thread could be started
        why = std::string("cannot read the snapshot: ") + e.what();
        return zotero_errc::io;
    }
}

// One read through a snapshot. When the snapshot was a reused copy and reading it fails, it is
// discarded and `stale` set: the caller reads again from a new copy rather than blame `db`.
boost::system::result<zotero_library> read_once(const std::filesystem::path& db,
                                                const reader_options& options, std::string* detail,
                                                bool& stale) {
    const auto fail = [&](zotero_errc e, std::string why) -> boost::system::result<zotero_library> {
        if (detail)
            *detail = std::move(why);
        return make_error_code(e);
    };
    // A new copy is read while quick_check verifies it; the result is dropped if the check fails.
    std::optional<zotero_library> early;
    std::exception_ptr early_error;
    snapshot_options snap_options{options.snapshot_dir.empty() ? default_snapshot_dir()
                                                               : options.snapshot_dir,
                                  options.busy_timeout, [&](const std::filesystem::path& copy) {
                                      try {
                                          early = read_snapshot(copy);
                                      } catch (...) {
                                          early_error = std::current_exception();
                                      }
                                  }};
    auto snap = take_snapshot(db, snap_options, detail);
    if (!snap)
        return snap.error();
    try {
        if (snap->read_done && early_error)
            std::rethrow_exception(early_error);
        zotero_library lib = snap->read_done ? std::move(*early) : read_snapshot(snap->path);
        lib.snapshot = snap->path;
        lib.snapshot_reused = snap->reused;
        return lib;
    } catch (...) {
        std::string why;
        const zotero_errc e = current_failure(db, why);
        if (snap->reused) {
            discard_snapshot(snap->path);
            stale = true;
        }
        return fail(e, std::move(why));
    }
}

} // namespace

boost::system::result<zotero_library> read_zotero_library(const std::filesystem::path& db,
                                                          const reader_options& options,
                                                          std::string* detail) {
    bool stale = false;
    auto lib = read_once(db, options, detail, stale);
    if (!lib && stale) {
        stale = false;
        lib = read_once(db, options, detail, stale);
    }
    return lib;
}

} // namespace sieve
