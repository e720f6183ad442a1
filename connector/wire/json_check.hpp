// Strict checks of request JSON, mirroring the subset of JSON Schema used in schema/api:
// objects with a closed key set and required keys, strings, bounded integers, bounded arrays.
// Every error names the JSON path of the offending value ("items[3].tags[0].type").
#pragma once
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace sieve::jcheck {

struct error {
    error() = default;
    error(std::string p, std::string m) : path(std::move(p)), message(std::move(m)) {}
    std::string path;         // "" for the document itself
    std::string message;      // "expected a string", "unknown key 'foo'", ...
    std::string what() const; // "<path>: <message>" or "<message>"
};
[[noreturn]] void throw_exception_from_error(const error& e); // for result::value()

// A checked value, or the error naming where the request went wrong.
template <class T> using checked = boost::system::result<T, error>;

using keys = std::initializer_list<std::string_view>;

// An object whose keys are all in `allowed` and which holds every key in `required`.
boost::system::result<const boost::json::object*, error>
object(const boost::json::value& v, const std::string& path, keys allowed, keys required);

// A string of at least `min_length` bytes.
boost::system::result<std::string, error>
string(const boost::json::value& v, const std::string& path, std::size_t min_length = 0);

// An integer (a JSON number without fraction or exponent) within [min, max].
boost::system::result<std::int64_t, error>
integer(const boost::json::value& v, const std::string& path, std::int64_t min, std::int64_t max);

// An array of at most `max_items` elements.
boost::system::result<const boost::json::array*, error>
array(const boost::json::value& v, const std::string& path, std::size_t max_items);

// path + "." + key, or key alone for the root.
std::string member(const std::string& path, std::string_view key);
// path + "[" + index + "]".
std::string element(const std::string& path, std::size_t index);

} // namespace sieve::jcheck
