#include "connector/zotero/snapshot_source.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <fstream>

namespace sieve {

namespace fs = std::filesystem;

namespace {

constexpr std::array<unsigned char, 8> journal_magic = {0xd9, 0xd5, 0x05, 0xf9,
                                                        0x20, 0xa1, 0x63, 0xd7};
constexpr std::chrono::milliseconds settle_time{100};

std::int64_t ns(const struct ::timespec& t) {
    return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

std::uint32_t change_counter(const fs::path& p) {
    const std::string b = read_bytes(p, 24, 4);
    if (b.size() != 4)
        return 0;
    std::uint32_t v = 0;
    for (char c : b)
        v = (v << 8) | static_cast<unsigned char>(c);
    return v;
}

std::string text(const file_state& f) {
    if (!f.exists)
        return "-";
    return std::to_string(f.size) + " " + std::to_string(f.mtime_ns) + " " +
           std::to_string(f.ctime_ns) + " " + std::to_string(f.device) + ":" +
           std::to_string(f.inode) + " " + std::to_string(f.change_counter);
}

} // namespace

file_state stat_file(const fs::path& p, bool with_counter) {
    struct ::stat st {};
    if (::stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return {};
    file_state f{true,
                 static_cast<std::int64_t>(st.st_size),
                 ns(st.st_mtim),
                 ns(st.st_ctim),
                 static_cast<std::uint64_t>(st.st_dev),
                 static_cast<std::uint64_t>(st.st_ino),
                 0};
    if (with_counter)
        f.change_counter = change_counter(p);
    return f;
}

std::string read_bytes(const fs::path& p, std::int64_t offset, std::size_t n) {
    std::ifstream in(p, std::ios::binary);
    if (!in)
        return {};
    in.seekg(offset, offset < 0 ? std::ios::end : std::ios::beg);
    std::string buf(n, '\0');
    if (!in.read(buf.data(), static_cast<std::streamsize>(n)))
        return {};
    return buf;
}

fs::path sibling(const fs::path& db, const char* suffix) {
    fs::path p = db;
    p += suffix;
    return p;
}

bool is_journal_magic(const std::string& bytes) {
    return bytes.size() == journal_magic.size() &&
           std::equal(journal_magic.begin(), journal_magic.end(), bytes.begin(),
                      [](unsigned char m, char b) { return m == static_cast<unsigned char>(b); });
}

source_state observe(const fs::path& source) {
    source_state s;
    s.db = stat_file(source, true);
    s.journal = stat_file(sibling(source, "-journal"));
    s.wal = stat_file(sibling(source, "-wal"));
    if (s.journal.exists && s.journal.size >= 8) {
        const auto journal = sibling(source, "-journal");
        s.hot_journal = is_journal_magic(read_bytes(journal, 0, 8));
        s.super_journal = s.hot_journal && is_journal_magic(read_bytes(journal, -8, 8));
    }
    if (!s.hot_journal)
        s.journal = {}; // a cold (zeroed or empty) journal does not matter
    if (s.wal.exists && s.wal.size == 0)
        s.wal = {};
    return s;
}

bool recently_modified(const source_state& s) {
    const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const auto recent = [&](const file_state& f) {
        const auto age = now - f.mtime_ns;
        return f.exists && age > -settle_time.count() * 1'000'000 &&
               age < std::chrono::nanoseconds(settle_time).count();
    };
    return recent(s.db) || recent(s.journal) || recent(s.wal);
}

std::string describe(const source_state& s) {
    return "db " + text(s.db) + "; journal " + text(s.journal) + (s.hot_journal ? " hot" : "") +
           (s.super_journal ? " super" : "") + "; wal " + text(s.wal);
}

std::string cache_signature(const fs::path& db) {
    return "db " + text(stat_file(db, true)) + "; journal " +
           text(stat_file(sibling(db, "-journal"))) + "; wal " +
           text(stat_file(sibling(db, "-wal")));
}

} // namespace sieve
