#include "connector/state/state_dir.hpp"

#include "classifier/hash.hpp"

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace sieve {

namespace fs = std::filesystem;

namespace {

std::string errno_text(int e) {
    return std::strerror(e);
}

bool write_all(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += std::size_t(n);
    }
    return true;
}

// Binds the abstract socket "sieve-serve/<uid>/<hash of the canonical dir>"; -1 with errno set
// when it cannot (EADDRINUSE: another process holds it).
int bind_instance_name(const fs::path& dir) {
    std::error_code ec;
    fs::path canonical = fs::canonical(dir, ec);
    if (ec)
        canonical = fs::absolute(dir, ec);
    const std::string name = "sieve-serve/" + std::to_string(::getuid()) + "/" +
                             hex64(fnv1a64(canonical.string()));
    const int s = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return -1;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    name.copy(addr.sun_path + 1, sizeof addr.sun_path - 1); // sun_path[0] = 0: abstract
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
    if (::bind(s, reinterpret_cast<const sockaddr*>(&addr), length) != 0) {
        const int e = errno;
        ::close(s);
        errno = e;
        return -1;
    }
    return s;
}

// Creates `dir` if needed and makes it and Sieve's files in it private.
boost::system::result<void, std::string> prepare_dir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        return "cannot create state directory " + dir.string() + ": " + ec.message();
    if (::chmod(dir.c_str(), 0700) != 0)
        return "cannot make state directory " + dir.string() + " private: " + errno_text(errno);
    for (const char* name : {"lock", "token", "criteria.md", "llm-key", "state.sqlite",
                             "state.sqlite-wal", "state.sqlite-shm", "state.sqlite-journal"})
        if (auto r = make_private(dir / name); !r)
            return r.error();
    return {};
}

} // namespace

boost::system::result<void, std::string> make_private(const fs::path& file) {
    struct ::stat st {};
    if (::lstat(file.c_str(), &st) != 0)
        return errno == ENOENT ? boost::system::result<void, std::string>()
                               : "cannot check " + file.string() + ": " + errno_text(errno);
    if (!S_ISREG(st.st_mode) || (st.st_mode & 0777) == 0600)
        return {};
    if (::chmod(file.c_str(), 0600) != 0)
        return "cannot make " + file.string() + " private: " + errno_text(errno);
    return {};
}

fs::path default_state_dir(const fs::path& db) {
    std::error_code ec;
    fs::path parent = db.parent_path();
    if (!parent.empty() && fs::is_directory(parent, ec))
        return parent / "sieve";
    if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg)
        return fs::path(xdg) / "sieve";
    if (const char* home = std::getenv("HOME"); home && *home)
        return fs::path(home) / ".local" / "state" / "sieve";
    return fs::temp_directory_path(ec) / ("sieve-state-" + std::to_string(::getuid()));
}

boost::system::result<state_lock, std::string> state_lock::acquire(const fs::path& dir) {
    if (auto r = prepare_dir(dir); !r)
        return r.error();
    const std::string running =
        "another `sieve serve` is already running with state directory " + dir.string();
    const int name_fd = bind_instance_name(dir);
    if (name_fd < 0)
        return errno == EADDRINUSE ? running
                                   : "cannot lock state directory " + dir.string() + ": " +
                                         errno_text(errno);
    fs::path lock_path = dir / "lock";
    int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        const int e = errno;
        ::close(name_fd);
        return "cannot open " + lock_path.string() + ": " + errno_text(e);
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        ::close(fd);
        ::close(name_fd);
        if (e == EWOULDBLOCK)
            return running;
        return "cannot lock " + lock_path.string() + ": " + errno_text(e);
    }
    return state_lock(fd, name_fd);
}

state_lock::~state_lock() {
    if (fd_ >= 0)
        ::close(fd_); // closing the descriptor releases the flock
    if (name_fd_ >= 0)
        ::close(name_fd_); // and the abstract name
}

boost::system::result<std::string> random_token() {
    unsigned char bytes[32];
    std::size_t got = 0;
    while (got < sizeof bytes) {
        ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return boost::system::error_code(errno ? errno : EIO, boost::system::system_category());
        got += std::size_t(n);
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string token;
    for (unsigned char b : bytes) {
        token += hex[b >> 4];
        token += hex[b & 0xf];
    }
    return token;
}

boost::system::result<void, std::string> write_private_file(const fs::path& path,
                                                            const std::string& content) {
    fs::path tmp = path;
    tmp += ".tmp." + std::to_string(::getpid());
    ::unlink(tmp.c_str());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return "cannot create " + tmp.string() + ": " + errno_text(errno);
    bool ok = ::fchmod(fd, 0600) == 0 && write_all(fd, content) && ::fsync(fd) == 0;
    int e = ok ? 0 : errno;
    if (::close(fd) != 0 && ok) {
        ok = false;
        e = errno;
    }
    if (ok && ::rename(tmp.c_str(), path.c_str()) == 0)
        return {};
    if (ok)
        e = errno;
    ::unlink(tmp.c_str());
    return "cannot write " + path.string() + ": " + errno_text(e);
}

boost::system::result<void, std::string> write_token(const fs::path& dir,
                                                     const std::string& token) {
    return write_private_file(dir / "token", token + "\n");
}

} // namespace sieve
