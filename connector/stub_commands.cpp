// Placeholders for subcommands not built yet; each owner replaces its entry with a real file.
#include "connector/cli.hpp"

#include <iostream>

namespace sieve::cli {

namespace {
int not_yet(const char* name) {
    std::cerr << "sieve " << name << ": not implemented yet\n";
    return failure;
}
} // namespace

int run_classify(args) { return not_yet("classify"); }
int run_eval(args) { return not_yet("eval"); }
int run_train(args) { return not_yet("train"); }
int run_serve(args) { return not_yet("serve"); }
int run_library(args) { return not_yet("library"); }

} // namespace sieve::cli
