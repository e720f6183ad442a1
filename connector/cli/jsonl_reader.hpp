// Reading JSONL input line by line with bounded memory: the file must be a regular file
// (connector/state/bounded_file.hpp), and a line longer than max_jsonl_line_bytes is skipped
// without being held (its number is reported) instead of being read whole.
#pragma once
#include "connector/state/bounded_file.hpp"

#include <boost/system/result.hpp>

#include <string>
#include <vector>

namespace sieve {

class jsonl_reader {
public:
    // Errors (one line): "cannot read <path>: ..." (missing, not a regular file, unreadable).
    static boost::system::result<jsonl_reader, std::string> open(const std::string& path);

    struct line {
        std::string text; // without the line terminator (and a trailing CR); empty if too_long
        std::size_t number = 0; // 1-based line number in the file
        bool too_long = false;  // over max_jsonl_line_bytes: skipped
    };
    // The next non-empty line; false at the end of the file or on a read error (error() says).
    bool next(line& out);
    const std::string& error() const { return error_; }
    std::uint64_t size() const { return file_.size(); }

private:
    jsonl_reader(regular_file f, std::string path) : file_(std::move(f)), path_(std::move(path)) {}
    bool fill(); // refills buf_; false at the end or on an error
    regular_file file_;
    std::string path_;
    std::vector<char> buf_ = std::vector<char>(1u << 16);
    std::size_t pos_ = 0, end_ = 0;
    std::size_t line_no_ = 0;
    std::string error_;
};

// "longer than the 1 MiB limit for a JSONL line": the error of a too_long line.
std::string too_long_line_message();

} // namespace sieve
