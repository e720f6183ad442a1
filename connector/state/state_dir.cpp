#include "connector/state/state_dir.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
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

} // namespace

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
    std::error_code ec;
    if (fs::create_directories(dir, ec))
        fs::permissions(dir, fs::perms::owner_all, ec);
    if (ec)
        return "cannot create state directory " + dir.string() + ": " + ec.message();
    fs::path lock_path = dir / "lock";
    int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return "cannot open " + lock_path.string() + ": " + errno_text(errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        ::close(fd);
        if (e == EWOULDBLOCK)
            return "another `sieve serve` is already running with state directory " + dir.string();
        return "cannot lock " + lock_path.string() + ": " + errno_text(e);
    }
    return state_lock(fd);
}

state_lock::~state_lock() {
    if (fd_ >= 0)
        ::close(fd_); // closing the descriptor releases the flock
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
