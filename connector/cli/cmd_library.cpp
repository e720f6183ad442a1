// sieve library: prints the regular items of a Zotero database, read through a private snapshot.
#include "classifier/markup.hpp"
#include "connector/cli/cli_options.hpp"
#include "connector/zotero/zotero_reader.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>

namespace sieve::cli {

namespace po = boost::program_options;

namespace {

constexpr const char* synopsis =
    "sieve library [--db PATH] [--format table|jsonl] [--snapshot-dir DIR]";

const zotero_library_info* library_of(const zotero_library& lib, std::int64_t id) {
    for (const auto& l : lib.libraries)
        if (l.id == id)
            return &l;
    return nullptr;
}

// Eight bytes at a time: each function sets the high bit of every byte of `w` that matches (exact,
// no false positives, no carries between bytes).
constexpr std::uint64_t low7 = 0x7f7f7f7f7f7f7f7full, high = ~low7, ones = 0x0101010101010101ull;
constexpr std::uint64_t bytes_equal(std::uint64_t w, unsigned char c) {
    const std::uint64_t x = w ^ (ones * c);
    return ~(((x & low7) + low7) | x) & high;
}
constexpr std::uint64_t bytes_below_space(std::uint64_t w) {
    return ~(((w & low7) + ones * (0x80 - 0x20)) | w) & high;
}
std::uint64_t load(const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
}

// False when strip_markup would return `s` unchanged: printable ASCII without markup characters,
// leading/trailing or doubled spaces. Saves the offset map for most abstracts.
bool needs_strip(std::string_view s) {
    if (s.empty())
        return false;
    if (s.front() == ' ' || s.back() == ' ')
        return true;
    std::size_t i = 0;
    if constexpr (std::endian::native == std::endian::little) {
        std::uint64_t carry = 0; // high bit: the byte before this word was a space
        for (; i + 8 <= s.size(); i += 8) {
            const std::uint64_t w = load(s.data() + i), space = bytes_equal(w, ' ');
            if ((bytes_below_space(w) | (w & high) | bytes_equal(w, 0x7f) | bytes_equal(w, '<') |
                 bytes_equal(w, '&') | (space & ((space << 8) | carry))) != 0)
                return true;
            carry = space >> 56;
        }
    }
    for (char prev = i > 0 ? s[i - 1] : 'x'; i < s.size(); prev = s[i++]) {
        const char c = s[i];
        if (c < ' ' || c > '~' || c == '<' || c == '&' || (c == ' ' && prev == ' '))
            return true;
    }
    return false;
}

// Appends one JSONL line per item to a reused buffer, written out in large blocks. Same members
// and order as a boost::json object would give, without building one per item.
class jsonl_writer {
public:
    ~jsonl_writer() { flush(); }
    void flush() {
        std::fwrite(buf_.data(), 1, buf_.size(), stdout);
        buf_.clear();
    }
    void item(const zotero_item& it, const zotero_library_info* lib);

private:
    void begin_object() { first_ = true; } // the '{' comes with the first key
    void key(std::string_view k) {
        buf_ += first_ ? '{' : ',';
        first_ = false;
        string(k);
        buf_ += ':';
    }
    void string(std::string_view s);
    void number(std::int64_t v) {
        char tmp[24];
        buf_.append(tmp,
                    static_cast<std::size_t>(std::to_chars(tmp, tmp + sizeof tmp, v).ptr - tmp));
    }
    void member(std::string_view k, std::string_view v) {
        key(k);
        string(v);
    }
    void member(std::string_view k, std::int64_t v) {
        key(k);
        number(v);
    }
    void flag(std::string_view k, bool v) {
        key(k);
        buf_ += v ? "true" : "false";
    }
    void text(std::string_view k, const std::string& stored);
    void strings(std::string_view k, const std::vector<std::string>& v);
    void end_object() {
        buf_ += '}';
        first_ = false;
    }

    std::string buf_;
    bool first_ = true;
};

void jsonl_writer::string(std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    buf_ += '"';
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if constexpr (std::endian::native == std::endian::little) {
            for (std::uint64_t w = 0; i + 8 <= s.size(); i += 8) { // skip clean words
                w = load(s.data() + i);
                if (const std::uint64_t hit =
                        bytes_below_space(w) | bytes_equal(w, '"') | bytes_equal(w, '\\')) {
                    i += static_cast<std::size_t>(std::countr_zero(hit)) / 8;
                    break;
                }
            }
            if (i >= s.size())
                break;
        }
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        buf_.append(s.substr(run, i - run));
        run = i + 1;
        const char* esc = c == '"'    ? "\\\""
                          : c == '\\' ? "\\\\"
                          : c == '\n' ? "\\n"
                          : c == '\r' ? "\\r"
                          : c == '\t' ? "\\t"
                          : c == '\b' ? "\\b"
                          : c == '\f' ? "\\f"
                                      : nullptr;
        if (esc) {
            buf_ += esc;
        } else {
            const char u[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            buf_.append(u, sizeof u);
        }
    }
    buf_.append(s.substr(run));
    buf_ += '"';
}

// Plain text under `k`; the stored text under `k`_raw as well when markup was removed.
void jsonl_writer::text(std::string_view k, const std::string& stored) {
    if (!needs_strip(stored))
        return member(k, stored);
    const std::string plain = strip_markup(stored).text;
    if (plain != stored)
        member(std::string(k) + "_raw", stored);
    member(k, plain);
}

void jsonl_writer::strings(std::string_view k, const std::vector<std::string>& v) {
    key(k);
    buf_ += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i)
            buf_ += ',';
        string(v[i]);
    }
    buf_ += ']';
}

void jsonl_writer::item(const zotero_item& it, const zotero_library_info* lib) {
    begin_object();
    member("library_id", it.library_id);
    member("library_type", lib ? std::string_view(lib->type) : std::string_view());
    flag("library_editable", lib && lib->editable);
    member("key", it.key);
    member("item_id", it.item_id);
    member("item_type", it.item_type);
    text("title", it.title);
    text("abstract", it.abstract);
    strings("creators", it.creators);
    for (const auto& [k, v] : {std::pair{"date", &it.date},
                               {"venue", &it.venue},
                               {"doi", &it.doi},
                               {"url", &it.url},
                               {"extra", &it.extra},
                               {"arxiv_id", &it.arxiv_id},
                               {"date_modified", &it.date_modified}})
        member(k, std::string_view(*v));
    key("tags");
    for (std::size_t i = 0; i < it.tags.size(); ++i) {
        buf_ += i ? ',' : '[';
        begin_object();
        member("tag", std::string_view(it.tags[i].name));
        member("type", std::int64_t{it.tags[i].type});
        end_object();
    }
    buf_ += it.tags.empty() ? "[]" : "]";
    strings("collections", it.collections);
    key("notes");
    for (std::size_t i = 0; i < it.notes.size(); ++i) {
        buf_ += i ? ',' : '[';
        begin_object();
        member("item_id", it.notes[i].item_id);
        member("key", std::string_view(it.notes[i].key));
        member("html", std::string_view(it.notes[i].html));
        end_object();
    }
    buf_ += it.notes.empty() ? "[]" : "]";
    end_object();
    buf_ += '\n';
    if (buf_.size() >= (std::size_t{1} << 20))
        flush();
}

void print_jsonl(const zotero_library& lib) {
    jsonl_writer out;
    for (const auto& it : lib.items)
        out.item(it, library_of(lib, it.library_id));
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
