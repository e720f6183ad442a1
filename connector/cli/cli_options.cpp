#include "connector/cli/cli_options.hpp"

#include <iostream>

namespace sieve::cli {

namespace po = boost::program_options;

std::optional<po::variables_map> parse_options(args a, po::options_description desc,
                                               std::string_view synopsis, int& exit) {
    desc.add_options()("help,h", "show this help");
    po::variables_map vm;
    try {
        std::vector<std::string> v(a.begin(), a.end());
        po::store(po::command_line_parser(v).options(desc).run(), vm);
        if (vm.count("help")) {
            std::cout << "usage: " << synopsis << "\n\n" << desc;
            exit = ok;
            return std::nullopt;
        }
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "sieve: " << e.what() << " (usage: " << synopsis << ")\n";
        exit = usage;
        return std::nullopt;
    }
    return vm;
}

} // namespace sieve::cli
