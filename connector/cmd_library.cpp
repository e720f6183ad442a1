// sieve library: prints the regular items of a Zotero database, read through a private snapshot.
#include "classifier/markup.hpp"
#include "connector/cli_options.hpp"
#include "connector/zotero_reader.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>

namespace sieve::cli {

namespace po = boost::program_options;
namespace json = boost::json;

namespace {

constexpr const char* synopsis =
    "sieve library [--db PATH] [--format table|jsonl] [--snapshot-dir DIR]";

const zotero_library_info* library_of(const zotero_library& lib, std::int64_t id) {
    for (const auto& l : lib.libraries)
        if (l.id == id)
            return &l;
    return nullptr;
}

// False when strip_markup would return `s` unchanged: printable ASCII without markup characters,
// leading/trailing or doubled spaces. Saves the offset map for most abstracts.
bool needs_strip(std::string_view s) {
    if (s.empty())
        return false;
    if (s.front() == ' ' || s.back() == ' ' || s.find("  ") != std::string_view::npos)
        return true;
    return std::any_of(s.begin(), s.end(),
                       [](char c) { return c < ' ' || c > '~' || c == '<' || c == '&'; });
}

// Plain text under `key`; the stored text under `key`_raw as well when markup was removed.
void put_text(json::object& o, std::string_view key, const std::string& stored) {
    if (!needs_strip(stored)) {
        o[key] = stored;
        return;
    }
    std::string plain = strip_markup(stored).text;
    if (plain != stored)
        o[std::string(key) + "_raw"] = stored;
    o[key] = std::move(plain);
}

json::object item_json(const zotero_item& it, const zotero_library_info* lib) {
    json::object o;
    o["library_id"] = it.library_id;
    o["library_type"] = lib ? lib->type : "";
    o["library_editable"] = lib && lib->editable;
    o["key"] = it.key;
    o["item_id"] = it.item_id;
    o["item_type"] = it.item_type;
    put_text(o, "title", it.title);
    put_text(o, "abstract", it.abstract);
    o["creators"] = json::value_from(it.creators);
    for (const auto& [k, v] : {std::pair{"date", &it.date},
                               {"venue", &it.venue},
                               {"doi", &it.doi},
                               {"url", &it.url},
                               {"extra", &it.extra},
                               {"arxiv_id", &it.arxiv_id},
                               {"date_modified", &it.date_modified}})
        o[k] = *v;
    json::array tags;
    for (const auto& t : it.tags)
        tags.push_back(json::object{{"tag", t.name}, {"type", t.type}});
    o["tags"] = std::move(tags);
    o["collections"] = json::value_from(it.collections);
    json::array notes;
    for (const auto& n : it.notes)
        notes.push_back(json::object{{"item_id", n.item_id}, {"key", n.key}, {"html", n.html}});
    o["notes"] = std::move(notes);
    return o;
}

void print_jsonl(const zotero_library& lib) {
    std::string line;
    for (const auto& it : lib.items) {
        line = json::serialize(item_json(it, library_of(lib, it.library_id)));
        line += '\n';
        std::fwrite(line.data(), 1, line.size(), stdout);
    }
}

// At most `n` characters (code points) of UTF-8 text, "..." marking a cut.
std::string clip(std::string_view s, std::size_t n) {
    std::size_t chars = 0, i = 0;
    for (; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == n)
            break;
    }
    return i < s.size() ? std::string(s.substr(0, i)) + "..." : std::string(s);
}

void print_table(const zotero_library& lib) {
    std::map<std::int64_t, std::size_t> per_library;
    for (const auto& it : lib.items)
        ++per_library[it.library_id];
    std::printf("Zotero userdata schema %d, snapshot %s%s\n", lib.userdata_version,
                lib.snapshot.c_str(), lib.snapshot_reused ? " (reused)" : "");
    for (const auto& l : lib.libraries)
        std::printf("library %lld  %-5s  %-9s  %zu items  %s\n", static_cast<long long>(l.id),
                    l.type.c_str(), l.editable ? "editable" : "read-only", per_library[l.id],
                    l.name.c_str());
    std::printf("\n%-4s  %-8s  %-16s  %-10s  %-4s %-5s %s\n", "lib", "key", "type", "arxiv", "tags",
                "notes", "title");
    for (const auto& it : lib.items)
        std::printf("%-4lld  %-8s  %-16s  %-10s  %-4zu %-5zu %s\n",
                    static_cast<long long>(it.library_id), it.key.c_str(), it.item_type.c_str(),
                    it.arxiv_id.c_str(), it.tags.size(), it.notes.size(),
                    clip(strip_markup(it.title).text, 70).c_str());
    std::printf("\n%zu items\n", lib.items.size());
}

} // namespace

int run_library(args a) {
    po::options_description desc("options");
    desc.add_options()("db", po::value<std::string>(),
                       "zotero.sqlite (default: $SIEVE_ZOTERO_DIR/zotero.sqlite, else "
                       "~/Zotero/zotero.sqlite)")(
        "format", po::value<std::string>()->default_value("table"), "table or jsonl")(
        "snapshot-dir", po::value<std::string>(),
        "where the private copy is kept (default: $XDG_CACHE_HOME/sieve or ~/.cache/sieve)");
    int exit = ok;
    const auto vm = parse_options(a, desc, synopsis, exit);
    if (!vm)
        return exit;
    const std::string format = (*vm)["format"].as<std::string>();
    if (format != "table" && format != "jsonl") {
        std::cerr << "sieve library: --format must be table or jsonl (usage: " << synopsis << ")\n";
        return usage;
    }
    const std::filesystem::path db = vm->count("db")
                                         ? std::filesystem::path((*vm)["db"].as<std::string>())
                                         : default_zotero_db();
    if (db.empty()) {
        std::cerr << "sieve library: no --db given and no $HOME to look in\n";
        return usage;
    }
    reader_options options;
    if (vm->count("snapshot-dir"))
        options.snapshot_dir = (*vm)["snapshot-dir"].as<std::string>();
    std::string detail;
    const auto lib = read_zotero_library(db, options, &detail);
    if (!lib) {
        std::cerr << "sieve library: " << (detail.empty() ? lib.error().message() : detail) << '\n';
        return database;
    }
    format == "jsonl" ? print_jsonl(*lib) : print_table(*lib);
    return std::fflush(stdout) == 0 ? ok : failure;
}

} // namespace sieve::cli
