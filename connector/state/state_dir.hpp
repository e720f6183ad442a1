// The serve state directory: where the bearer token is published and the single-instance lock
// is held. It and Sieve's files in it are private (0700, 0600), whatever existed before: the
// state store holds titles, abstracts and the user's corrections. Linux (flock, getrandom,
// abstract Unix sockets).
#pragma once
#include <boost/system/result.hpp>

#include <filesystem>
#include <string>

namespace sieve {

// The default state directory for a Zotero database at `db`: <directory of db>/sieve when that
// directory exists, else $XDG_STATE_HOME/sieve, else ~/.local/state/sieve.
std::filesystem::path default_state_dir(const std::filesystem::path& db);

// The single-instance lock of a state directory, held while alive (released on destruction or
// exit): an exclusive flock on <dir>/lock and, because deleting the directory would let a second
// server take a new lock file, an abstract-namespace Unix socket named after the directory's
// canonical path and the user, which no file operation can remove.
class state_lock {
public:
    // Creates `dir` if needed, makes it 0700 and Sieve's files in it (lock, token, criteria.md,
    // llm-key, state.sqlite and its -wal, -shm, -journal) 0600, and takes the lock without
    // waiting. Errors (one line): the directory cannot be created or made private, or another
    // process holds the lock ("another `sieve serve` is already running ...").
    static boost::system::result<state_lock, std::string> acquire(const std::filesystem::path& dir);

    state_lock(state_lock&& o) noexcept : fd_(o.fd_), name_fd_(o.name_fd_) {
        o.fd_ = o.name_fd_ = -1;
    }
    state_lock& operator=(state_lock&&) = delete;
    state_lock(const state_lock&) = delete;
    ~state_lock();

private:
    state_lock(int fd, int name_fd) : fd_(fd), name_fd_(name_fd) {}
    int fd_ = -1;      // <dir>/lock, flocked
    int name_fd_ = -1; // the bound abstract socket
};

// Mode 0600 for `file` when it is a regular file (a symlink is not followed, anything else is
// left alone); nothing when it does not exist. Errors: one line naming the file.
boost::system::result<void, std::string> make_private(const std::filesystem::path& file);

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
