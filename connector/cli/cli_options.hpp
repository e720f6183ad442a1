// Command-line parsing shared by the subcommands (Boost.Program_options).
#pragma once
#include "connector/cli/cli.hpp"

#include <boost/program_options.hpp>
#include <optional>
#include <string_view>

namespace sieve::cli {

// Parses a against desc (which should not declare --help: it is added here). On --help prints
// the synopsis and options to stdout and sets exit to ok; on an error prints one line to stderr
// and sets exit to usage. Returns the parsed map only when the command should run.
std::optional<boost::program_options::variables_map>
parse_options(args a, boost::program_options::options_description desc, std::string_view synopsis,
              int& exit);

} // namespace sieve::cli
