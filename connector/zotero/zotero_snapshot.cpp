// Snapshot protocol for zotero.sqlite: observe -> copy -> observe again -> recover -> verify ->
// rename.
#include "connector/zotero/zotero_snapshot.hpp"

#include "classifier/hash.hpp"
#include "connector/zotero/snapshot_record.hpp"
#include "connector/zotero/snapshot_source.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sqlite3.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <future>
#include <optional>
#include <string>
#include <thread>

namespace sieve {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

namespace {

constexpr std::string_view sqlite_magic{"SQLite format 3\0", 16};

struct failure {
    zotero_errc code;
    std::string why;
};

std::string source_tag(const fs::path& source) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(fs::absolute(source, ec), ec);
    return "zotero-" + hex64(fnv1a64(canonical.string())) + "-";
}

std::string state_tag(const source_state& s) {
    return hex64(fnv1a64(describe(s)));
}

std::optional<failure> check_header(const fs::path& source) {
    const file_state f = stat_file(source);
    if (!f.exists) {
        std::error_code ec;
        const bool present = fs::exists(source, ec);
        return failure{zotero_errc::missing, present ? source.string() + " is not a regular file"
                                                     : source.string() + " does not exist"};
    }
    if (f.size == 0)
        return failure{zotero_errc::not_zotero, source.string() + " is empty"};
    std::ifstream in(source, std::ios::binary);
    if (!in)
        return failure{zotero_errc::io, "cannot read " + source.string()};
    std::string head(sqlite_magic.size(), '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    if (!in || head != sqlite_magic)
        return failure{zotero_errc::not_zotero, source.string() + " is not an SQLite database"};
    return std::nullopt;
}

std::optional<failure> prepare_dir(const fs::path& dir, const fs::path& source) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        return failure{zotero_errc::io, "cannot create " + dir.string() + ": " + ec.message()};
    const fs::path parent = fs::absolute(source, ec).parent_path();
    if (fs::equivalent(dir, parent, ec))
        return failure{zotero_errc::io, "the snapshot directory must not be the database's folder"};
    return std::nullopt;
}

// Copies in the kernel: a reflink clone where the filesystem shares blocks (btrfs, XFS), else
// copy_file_range. False when neither worked (then `to` may hold a partial copy).
bool kernel_copy(const fs::path& from, const fs::path& to) {
    const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return false;
    const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool ok = out >= 0;
    if (ok && ::ioctl(out, FICLONE, in) != 0) {
        struct ::stat st {};
        ok = ::fstat(in, &st) == 0;
        for (auto left = static_cast<std::size_t>(st.st_size); ok && left > 0;) {
            const ssize_t n = ::copy_file_range(in, nullptr, out, nullptr, left, 0);
            ok = n > 0; // 0: the source shrank; -1: not supported here (EXDEV, ENOSYS, ...)
            left -= ok ? static_cast<std::size_t>(n) : 0;
        }
    }
    if (out >= 0 && ::close(out) != 0)
        ok = false;
    ::close(in);
    return ok;
}

std::optional<failure> copy_one(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    if (!kernel_copy(from, to))
        fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
    if (!ec)
        fs::permissions(to, fs::perms::owner_read | fs::perms::owner_write,
                        fs::perm_options::replace, ec);
    if (ec)
        return failure{zotero_errc::io, "cannot copy " + from.string() + ": " + ec.message()};
    return std::nullopt;
}

void remove_with_sidecars(const fs::path& db) {
    std::error_code ec;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"})
        fs::remove(sibling(db, suffix), ec);
}

failure sqlite_failure(const SQLite::Exception& e, const fs::path& file) {
    const int code = e.getErrorCode();
    if (code == SQLITE_NOTADB)
        return {zotero_errc::not_zotero, file.string() + " is not an SQLite database"};
    if (code == SQLITE_IOERR || code == SQLITE_CANTOPEN || code == SQLITE_FULL)
        return {zotero_errc::io, std::string("snapshot: ") + e.what()};
    return {zotero_errc::corrupt, file.string() + " is damaged: " + e.what()};
}

// Applies a copied hot journal (rollback) or WAL (checkpoint) to the copy, leaving one plain file.
std::optional<failure> recover(const fs::path& copy, const fs::path& source) try {
    {
        SQLite::Database db(copy.string(), SQLite::OPEN_READWRITE);
        db.exec("PRAGMA journal_mode=DELETE");
        SQLite::Statement count(db, "SELECT count(*) FROM sqlite_master");
        count.executeStep();
    }
    std::error_code ec;
    for (const char* suffix : {"-journal", "-wal", "-shm"})
        fs::remove(sibling(copy, suffix), ec);
    return std::nullopt;
} catch (const SQLite::Exception& e) {
    return sqlite_failure(e, source);
}

std::optional<failure> verify(const fs::path& copy, const fs::path& source) try {
    SQLite::Database db(immutable_uri(copy), SQLite::OPEN_READONLY | SQLite::OPEN_URI);
    SQLite::Statement check(db, "PRAGMA quick_check(1)");
    if (check.executeStep() && check.getColumn(0).getString() == "ok")
        return std::nullopt;
    std::string answer = check.hasRow() ? check.getColumn(0).getString() : "no answer";
    std::replace(answer.begin(), answer.end(), '\n', ' '); // one-line reasons
    return failure{zotero_errc::corrupt,
                   source.string() + " is damaged (quick_check: " + answer + ")"};
} catch (const SQLite::Exception& e) {
    return sqlite_failure(e, source);
}

fs::path temp_name(const fs::path& dir, const std::string& final_name) {
    static std::atomic<unsigned> counter{0};
    return dir /
           (final_name + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
}

// verify(), with options.read_while_verifying (when set) reading the copy meanwhile on this
// thread. An exception from the reader propagates once the check has finished (the copy removed).
std::optional<failure> verify_and_read(const fs::path& copy, const fs::path& source,
                                       const snapshot_options& options, bool& read_done) {
    if (!options.read_while_verifying)
        return verify(copy, source);
    std::future<std::optional<failure>> check;
    try {
        check = std::async(std::launch::async, [&] { return verify(copy, source); });
    } catch (const std::system_error&) { // no second thread to be had: verify first, then read
        if (auto f = verify(copy, source))
            return f;
    }
    try {
        options.read_while_verifying(copy);
    } catch (...) {
        if (check.valid())
            check.wait();
        remove_with_sidecars(copy);
        throw;
    }
    read_done = true;
    return check.valid() ? check.get() : std::nullopt;
}

enum class attempt { done, changed };

// One copy attempt for the observed state `before`; `done` leaves the verified copy at `target`.
boost::system::result<attempt> copy_attempt(const fs::path& source, const source_state& before,
                                            const fs::path& target, const snapshot_options& options,
                                            failure& why, bool& read_done) {
    const fs::path tmp = temp_name(target.parent_path(), target.filename().string());
    std::optional<failure> f = copy_one(source, tmp);
    if (!f && before.hot_journal)
        f = copy_one(sibling(source, "-journal"), sibling(tmp, "-journal"));
    if (!f && before.wal.exists)
        f = copy_one(sibling(source, "-wal"), sibling(tmp, "-wal"));
    if (!f && !(observe(source) == before)) {
        remove_with_sidecars(tmp);
        return attempt::changed;
    }
    const bool wal_mode = read_bytes(tmp, 18, 1) == std::string(1, '\2');
    if (!f && (before.hot_journal || before.wal.exists || wal_mode))
        f = recover(tmp, source);
    if (!f)
        f = verify_and_read(tmp, source, options, read_done);
    std::error_code ec;
    if (!f)
        fs::rename(tmp, target, ec);
    if (!f && ec)
        f = failure{zotero_errc::io, "cannot write " + target.string() + ": " + ec.message()};
    if (f) {
        remove_with_sidecars(tmp);
        why = *f;
        return make_error_code(f->code);
    }
    return attempt::done;
}

// Removes the other snapshots of the source (`prefix`) and their records.
void remove_older(const fs::path& dir, const std::string& prefix, const fs::path& keep) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        const bool ours = name.ends_with(".sqlite") || name.ends_with(".sqlite.id");
        if (name.starts_with(prefix) && ours && entry.path() != keep &&
            entry.path() != record_path(keep))
            fs::remove(entry.path(), ec);
    }
}

// True when `target` exists and its record says it is an unchanged copy of `source` in `state`.
// Otherwise a new copy is made and renamed over it (so a process reading it meanwhile keeps its
// file).
bool reusable(const fs::path& source, const source_state& state, const fs::path& target) {
    std::error_code ec;
    return fs::exists(target, ec) && record_matches(source, state, target);
}

// Why the source cannot be copied right now, or empty when it can.
std::string busy_reason(const source_state& s, bool journal_grace_over) {
    if (s.super_journal)
        return "a multi-file commit is in progress";
    if (s.hot_journal && !journal_grace_over)
        return "a write transaction is in progress";
    if (recently_modified(s))
        return "the file is being written";
    return {};
}

} // namespace

void discard_snapshot(const fs::path& copy) {
    remove_with_sidecars(copy);
    std::error_code ec;
    fs::remove(record_path(copy), ec);
}

std::string immutable_uri(const fs::path& file) {
    std::string uri = "file:";
    std::error_code ec;
    for (unsigned char c : fs::absolute(file, ec).string()) {
        if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
            uri += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            uri += buf;
        }
    }
    return uri + "?immutable=1";
}

boost::system::result<snapshot>
take_snapshot(const fs::path& source, const snapshot_options& options, std::string* detail) {
    failure why{zotero_errc::io, ""};
    auto fail = [&](const failure& f) -> boost::system::result<snapshot> {
        if (detail)
            *detail = f.why;
        return make_error_code(f.code);
    };
    if (auto f = check_header(source))
        return fail(*f);
    if (auto f = prepare_dir(options.dir, source))
        return fail(*f);
    const std::string prefix = source_tag(source);
    const auto start = steady::now();
    const auto deadline = start + options.busy_timeout;
    milliseconds backoff{50};
    for (;;) {
        const source_state state = observe(source);
        if (!state.db.exists)
            return fail({zotero_errc::missing, source.string() + " vanished"});
        const bool grace_over = steady::now() - start >= options.busy_timeout / 2;
        std::string reason = busy_reason(state, grace_over);
        if (reason.empty()) {
            const fs::path target = options.dir / (prefix + state_tag(state) + ".sqlite");
            if (reusable(source, state, target))
                return snapshot{target, true};
            bool read_done = false;
            auto r = copy_attempt(source, state, target, options, why, read_done);
            if (!r)
                return fail(why);
            if (*r == attempt::done) {
                (void)write_record(target, snapshot_record(source, state, target));
                remove_older(options.dir, prefix, target);
                return snapshot{target, false, read_done};
            }
            reason = "the file changed while it was being copied";
        }
        if (steady::now() + backoff > deadline)
            return fail({zotero_errc::locked, source.string() + " is still busy: " + reason});
        std::this_thread::sleep_for(backoff);
        backoff = std::min(backoff * 2, milliseconds{1000});
    }
}

} // namespace sieve
