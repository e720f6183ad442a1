// The serve state directory: where the bearer token is published and the single-instance lock
// is held. POSIX only (flock, getrandom, rename).
#pragma once
#include <boost/system/result.hpp>

#include <filesystem>
#include <string>

namespace sieve {

// The default state directory for a Zotero database at `db`: <directory of db>/sieve when that
// directory exists, else $XDG_STATE_HOME/sieve, else ~/.local/state/sieve.
std::filesystem::path default_state_dir(const std::filesystem::path& db);

// Holds an exclusive flock on <dir>/lock while alive (released on destruction or exit).
class state_lock {
public:
    // Creates `dir` (mode 0700) if needed and takes the lock without waiting. Errors (one line):
    // the directory cannot be created, or another process holds the lock.
    static boost::system::result<state_lock, std::string> acquire(const std::filesystem::path& dir);

    state_lock(state_lock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    state_lock& operator=(state_lock&&) = delete;
    state_lock(const state_lock&) = delete;
    ~state_lock();

private:
    explicit state_lock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

// 64 lower-case hex digits from 32 bytes of getrandom(2). Errors: the errno of getrandom.
boost::system::result<std::string> random_token();

// Writes `content` to `path` with mode 0600, atomically (temporary file beside it, fsync,
// rename). Errors: one line naming the file.
boost::system::result<void, std::string> write_private_file(const std::filesystem::path& path,
                                                            const std::string& content);

// write_private_file(<dir>/token, token + "\n").
boost::system::result<void, std::string> write_token(const std::filesystem::path& dir,
                                                     const std::string& token);

} // namespace sieve
