#include "connector/cli/criteria_file.hpp"

#include <fstream>
#include <sstream>

namespace sieve {

boost::system::result<std::string, std::string> read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    if (!in || !(s << in.rdbuf())) return {boost::system::in_place_error, "cannot read " + path};
    return {boost::system::in_place_value, s.str()};
}

boost::system::result<criteria, std::string> load_criteria(const std::string& path) {
    std::string text(default_criteria_text());
    if (!path.empty()) {
        auto t = read_text_file(path);
        if (!t) return {boost::system::in_place_error, t.error()};
        text = std::move(*t);
    }
    auto c = parse_criteria(text);
    if (!c)
        return {boost::system::in_place_error,
                (path.empty() ? "embedded criteria" : path) + ": " + c.error().what()};
    return std::move(*c);
}

} // namespace sieve
