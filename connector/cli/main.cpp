// sieve: entry point; dispatches to the subcommands in cli.hpp.
#include "connector/cli/cli.hpp"
#include "connector/cli/version_info.hpp"

#include <exception>
#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr const char* help_text = R"(usage: sieve <command> [options]

Triage a Zotero library: topic tags and a relevant / application / irrelevant verdict per paper.

commands:
  serve      serve the Zotero extension over loopback HTTP (the main job)
  library    print the regular items of a Zotero database (read-only snapshot)
  classify   judge papers from a JSONL file or a Zotero database
  eval       measure judgments against labelled JSONL (F1, ROC AUC, accuracy)
  train      train the model file from labelled JSONL
  report     one HTML page with charts of a library's judgments and what to read next

options:
  --help       this text; `sieve <command> --help` for a command's options
  --version    version of sieve, its model and its default criteria
)";

int dispatch(const std::string& cmd, sieve::cli::args rest) {
    using namespace sieve::cli;
    if (cmd == "library") return run_library(rest);
    if (cmd == "classify") return run_classify(rest);
    if (cmd == "eval") return run_eval(rest);
    if (cmd == "train") return run_train(rest);
    if (cmd == "serve") return run_serve(rest);
    if (cmd == "report") return run_report(rest);
    std::cerr << "sieve: unknown command '" << cmd << "' (see sieve --help)\n";
    return usage;
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << help_text;
        return args.empty() ? sieve::cli::usage : sieve::cli::ok;
    }
    if (args[0] == "--version") {
        std::cout << sieve::version_text() << '\n';
        return sieve::cli::ok;
    }
    try {
        return dispatch(args[0], sieve::cli::args(args).subspan(1));
    } catch (const std::exception& e) {
        std::cerr << "sieve: " << e.what() << '\n';
        return sieve::cli::failure;
    }
}
