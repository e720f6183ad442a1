// JSON shapes of the HTTP API that are not judgments (those are in paper_json.hpp).
#pragma once
#include "connector/wire/plan_types.hpp"

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace sieve {

// {"add_tags":[{tag,type}],"remove_tags":[...],"note":{"action","key"?,"html"?}}
boost::json::value plan_json(const plan& p);

// Serialized {"error":{"code":code,"message":message}}.
std::string error_body(std::string_view code, std::string_view message);

} // namespace sieve
