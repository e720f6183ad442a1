// Loads the active criteria for the CLI: a file, or the embedded seed.
#pragma once
#include "classifier/criteria.hpp"

#include <boost/system/result.hpp>
#include <string>

namespace sieve {

// path empty: the embedded seed. Errors are one line: "<path>: line N: <why>" or
// "cannot read <path>".
boost::system::result<criteria, std::string> load_criteria(const std::string& path);

// The raw text of a criteria file (for the classifier); error: "cannot read <path>".
boost::system::result<std::string, std::string> read_text_file(const std::string& path);

} // namespace sieve
