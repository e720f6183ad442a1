// Test support: a JSON Schema (draft 2020-12) validator for the subset schema/api uses: type
// (one name or a list), properties, required, additionalProperties (bool or schema), items,
// enum, const, minimum / maximum, minItems / maxItems, minLength / maxLength, dependentRequired,
// oneOf, anyOf and
// "$ref" to "#/$defs/<name>". Annotations ($schema, $id, title, description) are ignored; any
// other keyword is reported as unsupported so that a schema cannot silently check less.
#pragma once
#include <boost/json/value.hpp>

#include <string>
#include <vector>

namespace sieve::test {

class json_schema_validator {
public:
    explicit json_schema_validator(boost::json::value schema);

    // Loads and parses a schema file; throws std::runtime_error when unreadable or not JSON.
    static json_schema_validator from_file(const std::string& path);

    // Every violation as "<json path>: <what>"; empty when `instance` is valid.
    std::vector<std::string> validate(const boost::json::value& instance) const;

private:
    void check(const boost::json::value& schema, const boost::json::value& v,
               const std::string& path, std::vector<std::string>& errors) const;
    void check_object(const boost::json::object& s, const boost::json::value& v,
                      const std::string& path, std::vector<std::string>& errors) const;
    void check_array(const boost::json::object& s, const boost::json::value& v,
                     const std::string& path, std::vector<std::string>& errors) const;
    void check_scalar(const boost::json::object& s, const boost::json::value& v,
                      const std::string& path, std::vector<std::string>& errors) const;
    void check_combinators(const boost::json::object& s, const boost::json::value& v,
                           const std::string& path, std::vector<std::string>& errors) const;
    const boost::json::value& resolve(const std::string& ref) const;
    boost::json::value root_;
};

} // namespace sieve::test
