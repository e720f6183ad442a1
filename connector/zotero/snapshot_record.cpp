#include "connector/zotero/snapshot_record.hpp"

#include "classifier/hash.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace sieve {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t page = 4096; // the largest page a Zotero database uses by default

std::string copy_identity(const fs::path& copy) {
    const file_state f = stat_file(copy);
    if (!f.exists)
        return "missing";
    const std::size_t edge = static_cast<std::size_t>(std::min<std::int64_t>(f.size, page));
    const std::string head = read_bytes(copy, 0, edge);
    const std::string tail = read_bytes(copy, -static_cast<std::int64_t>(edge), edge);
    return std::to_string(f.size) + " " + std::to_string(f.mtime_ns) + " " +
           std::to_string(f.ctime_ns) + " " + std::to_string(f.device) + ":" +
           std::to_string(f.inode) + " " + hex64(fnv1a64(head)) + " " + hex64(fnv1a64(tail));
}

std::string source_name(const fs::path& source) {
    std::error_code ec;
    return fs::weakly_canonical(fs::absolute(source, ec), ec).string();
}

} // namespace

fs::path record_path(const fs::path& copy) {
    fs::path p = copy;
    p += ".id";
    return p;
}

std::string snapshot_record(const fs::path& source, const source_state& state,
                            const fs::path& copy) {
    return "sieve-snapshot 1\nsource " + source_name(source) + "\nstate " + describe(state) +
           "\ncopy " + copy_identity(copy) + "\n";
}

bool write_record(const fs::path& copy, const std::string& record) {
    fs::path tmp = record_path(copy);
    tmp += ".tmp-" + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return false;
    bool ok = ::write(fd, record.data(), record.size()) == static_cast<ssize_t>(record.size());
    ok = ::close(fd) == 0 && ok;
    if (ok && ::rename(tmp.c_str(), record_path(copy).c_str()) == 0)
        return true;
    ::unlink(tmp.c_str());
    return false;
}

bool record_matches(const fs::path& source, const source_state& state, const fs::path& copy) {
    if (!stat_file(record_path(copy)).exists) // a regular file (a FIFO there would block)
        return false;
    std::ifstream in(record_path(copy), std::ios::binary);
    if (!in)
        return false;
    std::string stored(16384, '\0'); // paths are at most 4096 bytes
    in.read(stored.data(), static_cast<std::streamsize>(stored.size()));
    stored.resize(static_cast<std::size_t>(in.gcount()));
    return stored == snapshot_record(source, state, copy);
}

} // namespace sieve
