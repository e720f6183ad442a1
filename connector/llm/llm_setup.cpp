#include "connector/llm/llm_setup.hpp"

#include "connector/state/bounded_file.hpp"
#include "connector/wire/input_limits.hpp"
#include "connector/wire/number_option.hpp"

#include <boost/program_options.hpp>

#include <cstdio>
#include <cstdlib>

namespace sieve {

namespace po = boost::program_options;

namespace {

std::string shortest(double v) { // 0.55, not 0.55000000000000004
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

} // namespace

void describe_llm_flags(po::options_description& d, llm_flags& f) {
    llm_options& o = f.defaults;
    d.add_options()("llm-mode", po::value(&f.mode),
                    "local | llm | hybrid (default: hybrid with --llm-model, else local)")(
        "llm-url", po::value(&f.url)->default_value(f.url),
        "OpenAI-compatible base URL (Ollama, LM Studio, llama.cpp, vLLM, hosted APIs)")(
        "llm-model", po::value(&f.model), "model name the server knows")(
        "llm-key-env", po::value(&f.key_env),
        "environment variable holding the API key (else <state-dir>/llm-key when present)")(
        "llm-concurrency", integer_option(o.concurrency, "llm-concurrency", 1, 64),
        "LLM requests in flight at once, 1-64")("llm-timeout",
                                          po::value(&o.timeout)->default_value(o.timeout),
                                          "seconds per LLM request attempt")(
        "llm-wait", po::value(&o.classify_wait)->default_value(o.classify_wait),
        "seconds POST /v1/classify waits for LLM judgments before answering with local ones")(
        "llm-daily-tokens",
        integer_option(o.daily_tokens, "llm-daily-tokens", 0, 1'000'000'000'000'000),
        "token budget per UTC day (0: none)")(
        "llm-batch", integer_option(o.batch, "llm-batch", 1, 64), "papers per LLM request, 1-64")(
        "llm-threshold", po::value(&o.threshold)->default_value(o.threshold, shortest(o.threshold)),
        "hybrid: local confidence below which a paper goes to the LLM");
}

namespace {

// The first line of the key file (a regular file of at most 4 KiB); none when there is no file.
boost::system::result<std::optional<std::string>, std::string>
first_line(const std::filesystem::path& p) {
    auto text = read_bounded_file(p, max_key_file_bytes, "a key file");
    if (!text && text.error().code == file_errc::missing)
        return std::optional<std::string>();
    if (!text)
        return {boost::system::in_place_error, text.error().message};
    std::string line = text->substr(0, text->find('\n'));
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.pop_back();
    return std::optional<std::string>(std::move(line));
}

} // namespace

boost::system::result<llm_options, std::string>
llm_options_from(const llm_flags& f, const std::filesystem::path& state_dir) {
    llm_options o = f.defaults;
    o.url = f.url;
    o.model = f.model;
    auto mode = f.mode.empty() ? (f.model.empty() ? llm_mode::local : llm_mode::hybrid)
                               : llm_mode_from_string(f.mode);
    if (!mode)
        return std::string("--llm-mode must be local, llm or hybrid");
    o.mode = *mode;
    if (o.mode == llm_mode::local)
        return o;
    if (o.model.empty())
        return std::string("--llm-mode " + f.mode + " needs --llm-model");
    if (o.batch < 1 || o.batch > 64 || o.concurrency < 1 || o.concurrency > 64 ||
        !(o.timeout > 0) || o.timeout > 3600 || !(o.classify_wait >= 0) || o.classify_wait > 600 ||
        o.daily_tokens < 0 || !(o.threshold >= 0) || o.threshold > 1)
        return std::string("--llm-batch and --llm-concurrency must be in [1, 64], --llm-timeout "
                           "in (0, 3600], --llm-wait in [0, 600], --llm-daily-tokens >= 0, "
                           "--llm-threshold in [0, 1]");
    if (!f.key_env.empty()) {
        const char* v = std::getenv(f.key_env.c_str());
        if (!v || !*v)
            return std::string("--llm-key-env: $" + f.key_env + " is not set or empty");
        o.api_key = v;
    } else {
        auto k = first_line(state_dir / "llm-key");
        if (!k)
            return k.error();
        if (*k)
            o.api_key = **k;
    }
    return o;
}

boost::system::result<std::unique_ptr<llm_judge>, std::string>
start_llm_judge(const llm_options& o, state_store* store, const classifier* clf,
                const std::string& criteria_text, std::ostream& log) {
    if (o.mode == llm_mode::local) {
        log << "judge: local model only (see --llm-model)\n";
        return std::unique_ptr<llm_judge>();
    }
    auto j = llm_judge::create(o, store);
    if (!j)
        return j.error();
    if (clf)
        (*j)->use_criteria(clf->active_criteria(), criteria_text);
    log << "judge: " << to_string(o.mode) << ", LLM " << o.model << " at " << o.url
        << (o.api_key.empty() ? " (no API key)" : " (API key set)")
        << (o.mode == llm_mode::hybrid ? ", below confidence " + std::to_string(o.threshold) : "")
        << '\n';
    return j;
}

} // namespace sieve
