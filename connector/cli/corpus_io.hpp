// Reading JSONL files of papers for the CLI (eval, train): regular files of at most 1 GiB, lines
// of at most 1 MiB (connector/wire/input_limits.hpp), read line by line (jsonl_reader.hpp).
#pragma once
#include "classifier/training.hpp"

#include <boost/system/result.hpp>
#include <string>
#include <vector>

namespace sieve {

struct jsonl_file {
    std::vector<std::string> lines;   // without line terminators; empty lines dropped
    std::vector<std::size_t> numbers; // the 1-based line number of each in the file
};

// Reads a whole file. Errors (one line): "cannot read <path>: <why>" (missing, not a regular
// file, unreadable), "<path>: line N: longer than the 1 MiB limit for a JSONL line", "<path> is
// larger than the 1 GiB limit for a JSONL file".
boost::system::result<jsonl_file, std::string> read_jsonl(const std::string& path);

// Parses every line; a bad line is an error naming the file and line number.
boost::system::result<std::vector<labelled_paper>, std::string>
read_labelled(const std::string& path);

// Reads several files; a paper whose id repeats keeps its seed-exact version (with "verdict")
// over a corpus-label version, otherwise the first.
boost::system::result<std::vector<labelled_paper>, std::string>
read_training_set(const std::vector<std::string>& paths);

} // namespace sieve
