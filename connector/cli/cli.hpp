// The `sieve` subcommands. Each takes the arguments after its name and returns the exit code.
#pragma once
#include <span>
#include <string>

namespace sieve::cli {

// Exit codes shared by every subcommand.
enum exit_code : int {
    ok = 0,
    failure = 1,        // unexpected internal error
    usage = 2,          // bad command line
    database = 3,       // Zotero database missing, not Zotero, corrupt, or still locked
    bad_input_line = 4, // classify: at least one input line could not be parsed
};

using args = std::span<const std::string>;

int run_library(args a);  // sieve library --db PATH [--format table|jsonl]
int run_classify(args a); // sieve classify (--input FILE.jsonl | --db PATH) [--criteria F] [--format]
int run_eval(args a);     // sieve eval --input FILE.jsonl [--criteria F] [--model F]
int run_train(args a);    // sieve train --input FILE.jsonl... --out MODEL
int run_serve(args a);    // sieve serve [--port N] [--db PATH] [--state-dir DIR]
int run_report(args a);   // sieve report (--db PATH | --input FILE.jsonl) --out FILE [...]

} // namespace sieve::cli
