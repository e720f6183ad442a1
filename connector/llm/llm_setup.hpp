// `sieve serve`'s LLM flags (docs/llm-judge.md) and starting the judge from them.
#pragma once
#include "connector/llm/llm_judge.hpp"

#include <boost/program_options/options_description.hpp>
#include <boost/system/result.hpp>

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

namespace sieve {

struct llm_flags {
    std::string mode; // empty: hybrid when --llm-model is given, else local
    std::string url = llm_options{}.url;
    std::string model;
    std::string key_env;  // the variable holding the API key; else <state-dir>/llm-key if present
    llm_options defaults; // concurrency, timeout, wait, budget, batch, threshold
};

// Adds --llm-url, --llm-model, --llm-mode, --llm-key-env, --llm-concurrency, --llm-timeout,
// --llm-wait, --llm-daily-tokens, --llm-batch and --llm-threshold to `d`.
void describe_llm_flags(boost::program_options::options_description& d, llm_flags& f);

// The options the flags ask for, with the API key read from $<key_env> (which must be set and
// non-empty) or from <state_dir>/llm-key (first line). Errors: one line naming the flag, never
// the key.
boost::system::result<llm_options, std::string>
llm_options_from(const llm_flags& f, const std::filesystem::path& state_dir);

// The judge for `o` (null in local mode), registered with the active criteria; prints one line
// to `log` (mode, model, URL, where the key came from; never the key itself).
boost::system::result<std::unique_ptr<llm_judge>, std::string>
start_llm_judge(const llm_options& o, state_store* store, const classifier* clf,
                const std::string& criteria_text, std::ostream& log);

} // namespace sieve
