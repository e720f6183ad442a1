#include "connector/cli/criteria_file.hpp"

#include "connector/state/bounded_file.hpp"
#include "connector/wire/input_limits.hpp"

namespace sieve {

namespace {

boost::system::result<std::string, std::string>
read_input_text(const std::string& path, std::uint64_t cap, std::string_view what) {
    auto t = read_bounded_file(path, cap, what);
    if (!t) return {boost::system::in_place_error, t.error().message};
    if (t->empty()) return {boost::system::in_place_error, path + " is empty"};
    return {boost::system::in_place_value, std::move(*t)};
}

} // namespace

boost::system::result<std::string, std::string> read_criteria_file(const std::string& path) {
    return read_input_text(path, max_criteria_bytes, "a criteria file");
}

boost::system::result<std::string, std::string> read_model_file(const std::string& path) {
    return read_input_text(path, max_model_bytes, "a model file");
}

boost::system::result<criteria, std::string> load_criteria(const std::string& path) {
    std::string text(default_criteria_text());
    if (!path.empty()) {
        auto t = read_criteria_file(path);
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
