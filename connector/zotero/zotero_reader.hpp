// Read-only access to a Zotero library (zotero.sqlite) through a private snapshot.
#pragma once
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

namespace sieve {

// Why a Zotero database could not be read. Category name: "sieve.zotero".
enum class zotero_errc {
    missing = 1, // the file does not exist (or is not a regular file)
    not_zotero,  // a readable file that is not a Zotero database (not SQLite, or no Zotero tables)
    corrupt,     // SQLite or Zotero tables present but damaged (quick_check fails, truncated, ...)
    locked,      // a write was still under way after every retry
    io,          // the file or the snapshot directory could not be read / written
};
const boost::system::error_category& zotero_category() noexcept;
boost::system::error_code make_error_code(zotero_errc e) noexcept;

struct zotero_tag {
    std::string name;
    int type = 0; // 0 manual, 1 automatic
};

struct zotero_note {
    std::int64_t item_id = 0;
    std::string key;
    std::string html; // itemNotes.note as stored
};

struct zotero_library_info {
    std::int64_t id = 0;
    std::string type; // "user", "group" (feeds are skipped)
    bool editable = false;
    std::string name; // group name; "My Library" for the user library
};

// One regular item (not an attachment, note or annotation; not in the trash; not a feed item).
// String fields are empty when the item has no such field. `abstract` and `title` are as stored
// (may hold HTML/JATS markup): apply strip_markup (classifier/markup.hpp) for plain text.
struct zotero_item {
    std::int64_t library_id = 0;
    std::int64_t item_id = 0;
    std::string key;       // 8-character item key, unique within its library
    std::string item_type; // itemTypes.typeName, e.g. "journalArticle"
    std::string title;     // title or its base-mapped equivalent (caseName, subject, ...)
    std::string abstract;  // abstractNote, raw
    std::string date;      // the date field as stored ("2023-05-00 2023/05", ...)
    std::string venue; // publicationTitle or its base-mapped equivalents (proceedingsTitle, ...)
    std::string doi;
    std::string url;
    std::string extra;
    std::string arxiv_id;      // e.g. "2401.01234" or "hep-th/9901001"; no version; may be empty
    std::string date_modified; // items.dateModified, "YYYY-MM-DD HH:MM:SS" UTC
    std::vector<std::string>
        creators;                 // "Last, First" or the single-field name, in orderIndex order
    std::vector<zotero_tag> tags; // sorted by name
    std::vector<std::string> collections; // keys of the collections holding the item, sorted
    std::vector<zotero_note> notes;       // non-trashed child notes, by item_id
};

struct zotero_library {
    int userdata_version = 0;                   // version.userdata (Zotero 7 = 123, Zotero 8 = 129)
    std::vector<zotero_library_info> libraries; // user and group libraries, by id
    std::vector<zotero_item> items;             // sorted by (library_id, key)
    std::filesystem::path snapshot;             // the private copy that was read
    bool snapshot_reused = false;               // true: source unchanged since the last copy
};

struct reader_options {
    std::filesystem::path snapshot_dir;           // empty: default_snapshot_dir()
    std::chrono::milliseconds busy_timeout{8000}; // total back-off while a write is under way
};

// Reads every regular, non-trashed item of every user and group library of the Zotero database
// `db`. Never opens, locks or creates anything beside `db`: the file is copied into
// options.snapshot_dir (see zotero_snapshot.hpp) and only the copy is opened. Errors: the
// zotero_errc values above; when `detail` is non-null it receives a one-line human reason.
boost::system::result<zotero_library> read_zotero_library(const std::filesystem::path& db,
                                                          const reader_options& options,
                                                          std::string* detail = nullptr);

// The item with this (library ID, key), or nullptr. Requires `lib.items` sorted as returned.
const zotero_item* find_item(const zotero_library& lib, std::int64_t library_id,
                             std::string_view key);

// First non-empty arXiv ID found in the URL, then the DOI (10.48550/arXiv.*), then `extra`
// ("arXiv: 2401.01234", "arXiv:2401.01234v2", ...). Empty when none. Version suffix removed.
std::string find_arxiv_id(std::string_view url, std::string_view doi, std::string_view extra);

// The DOI a translator wrote into `extra` ("DOI: 10.1234/x", one line of it) for item types
// without a DOI field; empty when there is none.
std::string doi_from_extra(std::string_view extra);

// $SIEVE_ZOTERO_DIR/zotero.sqlite if that variable is set, else ~/Zotero/zotero.sqlite.
// The path may not exist. Empty when neither the variable nor $HOME is set.
std::filesystem::path default_zotero_db();

// $XDG_CACHE_HOME/sieve, else ~/.cache/sieve, else <temp dir>/sieve-<uid>. Not created here.
std::filesystem::path default_snapshot_dir();

} // namespace sieve

namespace boost::system {
template <> struct is_error_code_enum<sieve::zotero_errc> : std::true_type {};
} // namespace boost::system
