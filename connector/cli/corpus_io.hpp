// Reading JSONL files of papers for the CLI.
#pragma once
#include "classifier/training.hpp"

#include <boost/system/result.hpp>
#include <string>
#include <vector>

namespace sieve {

struct jsonl_file {
    std::vector<std::string> lines; // without line terminators; empty lines dropped
};

// Reads a whole file; error: "cannot read <path>".
boost::system::result<jsonl_file, std::string> read_jsonl(const std::string& path);

// Parses every line; a bad line is an error naming the file and line number.
boost::system::result<std::vector<labelled_paper>, std::string>
read_labelled(const std::string& path);

// Reads several files; a paper whose id repeats keeps its seed-exact version (with "verdict")
// over a corpus-label version, otherwise the first.
boost::system::result<std::vector<labelled_paper>, std::string>
read_training_set(const std::vector<std::string>& paths);

} // namespace sieve
