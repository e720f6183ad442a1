#include "connector/state/bounded_file.hpp"

#include "connector/wire/input_limits.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sieve {

namespace {

const char* kind_of(mode_t mode) {
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a plain file";
}

file_error not_regular(const std::filesystem::path& path, mode_t mode) {
    return {file_errc::not_regular,
            "cannot read " + path.string() + ": not a regular file (" + kind_of(mode) + ")"};
}

file_error errno_error(const std::filesystem::path& path, int e) {
    return {e == ENOENT ? file_errc::missing : file_errc::cannot_open,
            "cannot read " + path.string() + ": " + std::strerror(e)};
}

} // namespace

boost::system::result<regular_file, file_error>
regular_file::open(const std::filesystem::path& path) {
    struct ::stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return errno_error(path, errno);
    if (!S_ISREG(st.st_mode)) // refused before open(2): opening some devices has effects
        return not_regular(path, st.st_mode);
    // O_NONBLOCK: should the path have been swapped for a FIFO meanwhile, open does not wait.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return errno_error(path, errno);
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        const int e = errno;
        ::close(fd);
        return S_ISREG(st.st_mode) ? errno_error(path, e) : not_regular(path, st.st_mode);
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return regular_file(fd, static_cast<std::uint64_t>(st.st_size));
}

regular_file::~regular_file() {
    if (fd_ >= 0)
        ::close(fd_);
}

long read_some(const regular_file& f, char* buffer, std::size_t n) {
    std::size_t got = 0;
    while (got < n) {
        const ssize_t r = ::read(f.fd(), buffer + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += static_cast<std::size_t>(r);
    }
    return static_cast<long>(got);
}

boost::system::result<std::string, file_error>
read_bounded_file(const std::filesystem::path& path, std::uint64_t cap, std::string_view what) {
    auto f = regular_file::open(path);
    if (!f)
        return f.error();
    const file_error too_large{file_errc::too_large, path.string() + " is larger than the " +
                                                         size_text(cap) + " limit for " +
                                                         std::string(what)};
    if (f->size() > cap)
        return too_large;
    std::string text(static_cast<std::size_t>(f->size()) + 1, '\0'); // one more: did it grow?
    std::size_t used = 0;
    for (;;) {
        const long n = read_some(*f, text.data() + used, text.size() - used);
        if (n < 0)
            return file_error{file_errc::read_failed,
                              "cannot read " + path.string() + ": " + std::strerror(errno)};
        used += static_cast<std::size_t>(n);
        if (used > cap)
            return too_large;
        if (used < text.size())
            break;
        text.resize(std::min<std::uint64_t>(text.size() * 2, cap + 1));
    }
    text.resize(used);
    return text;
}

} // namespace sieve
