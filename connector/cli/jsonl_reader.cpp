#include "connector/cli/jsonl_reader.hpp"

#include "connector/wire/input_limits.hpp"

#include <algorithm>
#include <cstring>

namespace sieve {

boost::system::result<jsonl_reader, std::string> jsonl_reader::open(const std::string& path) {
    auto f = regular_file::open(path);
    if (!f)
        return f.error().message;
    return jsonl_reader(std::move(*f), path);
}

std::string too_long_line_message() {
    return "longer than the " + size_text(max_jsonl_line_bytes) + " limit for a JSONL line";
}

bool jsonl_reader::fill() {
    const long n = read_some(file_, buf_.data(), buf_.size());
    if (n < 0)
        error_ = "cannot read " + path_ + ": " + std::strerror(errno);
    pos_ = 0;
    end_ = n > 0 ? static_cast<std::size_t>(n) : 0;
    return end_ > 0;
}

bool jsonl_reader::next(line& out) {
    for (;;) {
        out.text.clear();
        out.too_long = false;
        bool ended = false; // a line terminator was found
        bool any = false;   // some byte (or terminator) of this line was read
        while (!ended) {
            if (pos_ == end_ && !fill())
                break;
            any = true;
            const char* start = buf_.data() + pos_;
            const char* nl = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
            const std::size_t n = nl ? std::size_t(nl - start) : end_ - pos_;
            // Room for the cap plus a CR that may end the line.
            if (!out.too_long && out.text.size() + n <= max_jsonl_line_bytes + 1)
                out.text.append(start, n);
            else if (!out.too_long) {
                out.too_long = true;
                std::string().swap(out.text);
            }
            pos_ += n + (nl ? 1 : 0);
            ended = nl != nullptr;
        }
        if (!any || !error_.empty())
            return false;
        out.number = ++line_no_;
        if (!out.text.empty() && out.text.back() == '\r')
            out.text.pop_back();
        if (!out.too_long && out.text.size() > max_jsonl_line_bytes) {
            out.too_long = true;
            std::string().swap(out.text);
        }
        if (out.too_long || !out.text.empty())
            return true;
    }
}

} // namespace sieve
