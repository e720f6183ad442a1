// Loads the active criteria and the model for the CLI: files (regular files within their caps,
// connector/wire/input_limits.hpp), or the embedded seed and model.
#pragma once
#include "classifier/criteria.hpp"

#include <boost/system/result.hpp>
#include <string>

namespace sieve {

// path empty: the embedded seed. Errors are one line: "<path>: line N: <why>" or the errors of
// read_criteria_file.
boost::system::result<criteria, std::string> load_criteria(const std::string& path);

// The raw text of a criteria file (for the classifier). Errors (one line): "cannot read <path>:
// <why>" (missing, unreadable, not a regular file: a directory, FIFO or device is refused without
// being read), "<path> is larger than the 256 KiB limit for a criteria file", "<path> is empty".
boost::system::result<std::string, std::string> read_criteria_file(const std::string& path);

// The raw text of a model file: as read_criteria_file, within 64 MiB.
boost::system::result<std::string, std::string> read_model_file(const std::string& path);

} // namespace sieve
