// sieve train: fits the model file from labelled JSONL (see docs/classifier.md).
#include "classifier/criteria.hpp"
#include "classifier/fields.hpp"
#include "classifier/training.hpp"
#include "connector/cli/cli_options.hpp"
#include "connector/cli/corpus_io.hpp"
#include "connector/cli/criteria_file.hpp"

#include <fstream>
#include <iostream>
#include <numeric>
#include <unordered_set>

namespace sieve::cli {

namespace po = boost::program_options;

int run_train(args a) {
    po::options_description d("options");
    d.add_options()
        ("input", po::value<std::vector<std::string>>()->required(),
         "labelled JSONL (repeatable): corpus lines with \"label\", seed-exact lines with "
         "\"verdict\" (regular files of at most 1 GiB, lines of at most 1 MiB)")
        ("out", po::value<std::string>()->required(), "model file to write")
        ("criteria", po::value<std::string>(),
         "criteria file, at most 256 KiB (default: the embedded seed)")
        ("exclude", po::value<std::vector<std::string>>(),
         "JSONL whose ids are left out of training (held-out evaluation)")
        ("set", po::value<std::vector<std::string>>(), "training option name=value (see training.hpp)")
        ("fields", "write the notes' field heads (classifier/fields.hpp) instead of the model");
    int exit = ok;
    auto vm = parse_options(a, d, "sieve train --input FILE.jsonl... --out MODEL", exit);
    if (!vm) return exit;

    auto crit = load_criteria((*vm).count("criteria") ? (*vm)["criteria"].as<std::string>() : "");
    if (!crit) { std::cerr << "sieve train: " << crit.error() << '\n'; return usage; }
    auto data = read_training_set((*vm)["input"].as<std::vector<std::string>>());
    if (!data) { std::cerr << "sieve train: " << data.error() << '\n'; return usage; }
    std::unordered_set<std::string> excluded;
    if (vm->count("exclude"))
        for (const auto& path : (*vm)["exclude"].as<std::vector<std::string>>()) {
            auto ex = read_labelled(path);
            if (!ex) { std::cerr << "sieve train: " << ex.error() << '\n'; return usage; }
            for (const auto& lp : *ex) excluded.insert(lp.p.id);
        }
    std::vector<std::size_t> use;
    for (std::size_t i = 0; i < data->size(); ++i)
        if (!excluded.count((*data)[i].p.id)) use.push_back(i);

    training_config cfg;
    if (vm->count("set"))
        for (const auto& kv : (*vm)["set"].as<std::vector<std::string>>())
            if (!set_training_option(cfg, kv)) {
                std::cerr << "sieve train: unknown training option '" << kv << "'\n";
                return usage;
            }
    auto x = featurize(*data, *crit, cfg.hash_bits);
    const bool fields = vm->count("fields") > 0;
    std::string text = fields ? train_field_model(*data, x, use, cfg).serialize()
                              : serialize_model(train_model(*data, x, use, *crit, cfg));
    std::ofstream out((*vm)["out"].as<std::string>(), std::ios::binary | std::ios::trunc);
    if (!(out << text)) { std::cerr << "sieve train: cannot write the model file\n"; return failure; }
    std::cout << "trained on " << use.size() << " papers (" << excluded.size()
              << " ids excluded); " << (fields ? "fields " : "model ")
              << text.substr(fields ? 23 : 22, 16) << ", " << text.size()
              << " bytes\n";
    return ok;
}

} // namespace sieve::cli
