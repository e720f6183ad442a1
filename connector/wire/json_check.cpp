#include "connector/wire/json_check.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace sieve::jcheck {

namespace json = boost::json;

std::string error::what() const {
    return path.empty() ? message : path + ": " + message;
}

void throw_exception_from_error(const error& e) {
    throw std::invalid_argument(e.what());
}

std::string member(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string element(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

boost::system::result<const json::object*, error>
object(const json::value& v, const std::string& path, keys allowed, keys required) {
    const json::object* o = v.if_object();
    if (!o)
        return error{path, "expected an object"};
    for (const auto& kv : *o) {
        std::string_view k = kv.key();
        if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
            return error{path, "unknown key '" + std::string(k) + "'"};
    }
    for (std::string_view k : required)
        if (!o->contains(k))
            return error{path, "missing key '" + std::string(k) + "'"};
    return o;
}

boost::system::result<std::string, error> string(const json::value& v, const std::string& path,
                                                 std::size_t min_length) {
    const json::string* s = v.if_string();
    if (!s)
        return error{path, "expected a string"};
    if (s->size() < min_length)
        return error{path, "expected at least " + std::to_string(min_length) + " characters"};
    return std::string(s->data(), s->size());
}

boost::system::result<std::int64_t, error> integer(const json::value& v, const std::string& path,
                                                   std::int64_t min, std::int64_t max) {
    std::int64_t n = 0;
    if (const auto* i = v.if_int64())
        n = *i;
    else if (const auto* u = v.if_uint64())
        n = *u > std::uint64_t(std::numeric_limits<std::int64_t>::max())
                ? std::numeric_limits<std::int64_t>::max()
                : std::int64_t(*u);
    else
        return error{path, "expected an integer"};
    if (n < min || n > max)
        return error{path, "expected an integer from " + std::to_string(min) + " to " +
                               std::to_string(max)};
    return n;
}

boost::system::result<const json::array*, error>
array(const json::value& v, const std::string& path, std::size_t max_items) {
    const json::array* a = v.if_array();
    if (!a)
        return error{path, "expected an array"};
    if (a->size() > max_items)
        return error{path, "at most " + std::to_string(max_items) + " elements allowed"};
    return a;
}

} // namespace sieve::jcheck
