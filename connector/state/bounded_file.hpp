// Opening and reading a file that comes from outside (criteria, a model, an API key, JSONL):
// regular files only, and within a size cap. A directory, FIFO, socket or device is refused
// without blocking on it or reading from it; a file over its cap is refused without reading it
// in full. POSIX.
#pragma once
#include <boost/system/result.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace sieve {

enum class file_errc {
    missing = 1, // no such file
    cannot_open, // exists but cannot be opened (permissions, ...)
    not_regular, // a directory, FIFO, socket or device
    too_large,   // over the cap
    read_failed, // an I/O error while reading
};

struct file_error {
    file_errc code = file_errc::cannot_open;
    std::string
        message; // one line naming the file: "cannot read <path>: not a regular file (a FIFO)"
};

// An open regular file (closed on destruction). Move-only.
class regular_file {
public:
    // Opens `path` for reading and checks, on the descriptor, that it is a regular file.
    static boost::system::result<regular_file, file_error> open(const std::filesystem::path& path);
    regular_file(regular_file&& o) noexcept : fd_(o.fd_), size_(o.size_) { o.fd_ = -1; }
    regular_file& operator=(regular_file&&) = delete;
    regular_file(const regular_file&) = delete;
    ~regular_file();
    int fd() const { return fd_; }
    std::uint64_t size() const { return size_; } // at open time

private:
    regular_file(int fd, std::uint64_t size) : fd_(fd), size_(size) {}
    int fd_ = -1;
    std::uint64_t size_ = 0;
};

// Reads up to n bytes (fewer only at the end of the file); -1 on an I/O error. Retries EINTR.
long read_some(const regular_file& f, char* buffer, std::size_t n);

// The whole of `path`, which must be a regular file of at most `cap` bytes; `what` names the
// kind of file for the too_large message ("<path> is larger than the 256 KiB limit for a
// criteria file").
boost::system::result<std::string, file_error>
read_bounded_file(const std::filesystem::path& path, std::uint64_t cap, std::string_view what);

} // namespace sieve
