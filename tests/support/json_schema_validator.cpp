#include "tests/support/json_schema_validator.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace sieve::test {

namespace json = boost::json;

namespace {

const std::set<std::string> known_keywords = {"$schema",
                                              "$id",
                                              "$defs",
                                              "title",
                                              "description",
                                              "type",
                                              "properties",
                                              "required",
                                              "additionalProperties",
                                              "items",
                                              "enum",
                                              "const",
                                              "minimum",
                                              "maximum",
                                              "minItems",
                                              "maxItems",
                                              "minLength",
                                              "maxLength",
                                              "oneOf",
                                              "anyOf",
                                              "$ref",
                                              "dependentRequired"};

bool has_type(const json::value& v, std::string_view t) {
    if (t == "object")
        return v.is_object();
    if (t == "array")
        return v.is_array();
    if (t == "string")
        return v.is_string();
    if (t == "boolean")
        return v.is_bool();
    if (t == "null")
        return v.is_null();
    if (t == "integer")
        return v.is_int64() || v.is_uint64();
    if (t == "number")
        return v.is_number();
    throw std::runtime_error("unsupported type name " + std::string(t));
}

double as_double(const json::value& v) {
    return v.to_number<double>();
}

std::size_t utf8_length(const json::string& s) {
    return std::size_t(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

} // namespace

json_schema_validator::json_schema_validator(json::value schema) : root_(std::move(schema)) {}

json_schema_validator json_schema_validator::from_file(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot read schema " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    return json_schema_validator(json::parse(ss.str()));
}

std::vector<std::string> json_schema_validator::validate(const json::value& instance) const {
    std::vector<std::string> errors;
    check(root_, instance, "$", errors);
    return errors;
}

const json::value& json_schema_validator::resolve(const std::string& ref) const {
    const std::string prefix = "#/$defs/";
    if (ref.rfind(prefix, 0) != 0)
        throw std::runtime_error("unsupported $ref " + ref);
    const json::value* def =
        root_.as_object().at("$defs").as_object().if_contains(ref.substr(prefix.size()));
    if (!def)
        throw std::runtime_error("unresolved $ref " + ref);
    return *def;
}

void json_schema_validator::check(const json::value& schema, const json::value& v,
                                  const std::string& path, std::vector<std::string>& errors) const {
    if (schema.is_bool()) {
        if (!schema.as_bool())
            errors.push_back(path + ": not allowed");
        return;
    }
    const json::object& s = schema.as_object();
    for (const auto& kv : s)
        if (!known_keywords.count(std::string(kv.key())))
            throw std::runtime_error("unsupported schema keyword " + std::string(kv.key()));
    if (const auto* ref = s.if_contains("$ref"))
        check(resolve(std::string(ref->as_string())), v, path, errors);
    if (const auto* type = s.if_contains("type")) {
        bool ok = false;
        if (type->is_string())
            ok = has_type(v, type->as_string());
        else
            for (const auto& t : type->as_array())
                ok = ok || has_type(v, t.as_string());
        if (!ok) {
            errors.push_back(path + ": expected type " + json::serialize(*type));
            return;
        }
    }
    check_scalar(s, v, path, errors);
    check_object(s, v, path, errors);
    check_array(s, v, path, errors);
    check_combinators(s, v, path, errors);
}

void json_schema_validator::check_scalar(const json::object& s, const json::value& v,
                                         const std::string& path,
                                         std::vector<std::string>& errors) const {
    if (const auto* e = s.if_contains("enum")) {
        const auto& options = e->as_array();
        if (std::find(options.begin(), options.end(), v) == options.end())
            errors.push_back(path + ": " + json::serialize(v) + " not in enum");
    }
    if (const auto* c = s.if_contains("const"); c && *c != v)
        errors.push_back(path + ": expected const " + json::serialize(*c));
    if (v.is_number()) {
        if (const auto* m = s.if_contains("minimum"); m && as_double(v) < as_double(*m))
            errors.push_back(path + ": below minimum " + json::serialize(*m));
        if (const auto* m = s.if_contains("maximum"); m && as_double(v) > as_double(*m))
            errors.push_back(path + ": above maximum " + json::serialize(*m));
    }
    if (v.is_string()) {
        std::size_t n = utf8_length(v.as_string());
        if (const auto* m = s.if_contains("minLength"); m && n < m->to_number<std::size_t>())
            errors.push_back(path + ": shorter than minLength");
        if (const auto* m = s.if_contains("maxLength"); m && n > m->to_number<std::size_t>())
            errors.push_back(path + ": longer than maxLength");
    }
}

void json_schema_validator::check_object(const json::object& s, const json::value& v,
                                         const std::string& path,
                                         std::vector<std::string>& errors) const {
    if (!v.is_object())
        return;
    const json::object& o = v.as_object();
    if (const auto* req = s.if_contains("required"))
        for (const auto& k : req->as_array())
            if (!o.contains(k.as_string()))
                errors.push_back(path + ": missing required " + std::string(k.as_string()));
    if (const auto* dep = s.if_contains("dependentRequired"))
        for (const auto& kv : dep->as_object())
            if (o.contains(kv.key()))
                for (const auto& k : kv.value().as_array())
                    if (!o.contains(k.as_string()))
                        errors.push_back(path + ": " + std::string(kv.key()) + " requires " +
                                         std::string(k.as_string()));
    const json::object* props = nullptr;
    if (const auto* p = s.if_contains("properties"))
        props = &p->as_object();
    const json::value* additional = s.if_contains("additionalProperties");
    for (const auto& kv : o) {
        std::string child = path + "." + std::string(kv.key());
        if (props && props->contains(kv.key()))
            check(props->at(kv.key()), kv.value(), child, errors);
        else if (additional)
            check(*additional, kv.value(), child, errors);
    }
}

void json_schema_validator::check_array(const json::object& s, const json::value& v,
                                        const std::string& path,
                                        std::vector<std::string>& errors) const {
    if (!v.is_array())
        return;
    const json::array& a = v.as_array();
    if (const auto* m = s.if_contains("minItems"); m && a.size() < m->to_number<std::size_t>())
        errors.push_back(path + ": fewer than minItems");
    if (const auto* m = s.if_contains("maxItems"); m && a.size() > m->to_number<std::size_t>())
        errors.push_back(path + ": more than maxItems");
    if (const auto* items = s.if_contains("items"))
        for (std::size_t i = 0; i < a.size(); ++i)
            check(*items, a[i], path + "[" + std::to_string(i) + "]", errors);
}

void json_schema_validator::check_combinators(const json::object& s, const json::value& v,
                                              const std::string& path,
                                              std::vector<std::string>& errors) const {
    auto count_valid = [&](const json::array& options) {
        std::size_t n = 0;
        for (const auto& option : options) {
            std::vector<std::string> sub;
            check(option, v, path, sub);
            if (sub.empty())
                ++n;
        }
        return n;
    };
    if (const auto* one = s.if_contains("oneOf"); one && count_valid(one->as_array()) != 1)
        errors.push_back(path + ": must match exactly one of oneOf");
    if (const auto* any = s.if_contains("anyOf"); any && count_valid(any->as_array()) == 0)
        errors.push_back(path + ": must match at least one of anyOf");
}

} // namespace sieve::test
