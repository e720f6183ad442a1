// Running the real `sieve` binary ($SIEVE_BIN) from tests, and reading JSONL.
#pragma once
#include "tests/support/zotero_test_util.hpp"

#include <boost/json.hpp>

#include <sstream>
#include <sys/wait.h>

namespace sieve_test {

struct run_result {
    int code = -1;
    std::string out, err;
};

inline std::string quoted(const std::string& s) {
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// Runs `sieve <args>` (args already shell-quoted) with the environment prefix `env`
// ("VAR=value ..." or empty); stdout and stderr go through files in tmp.
inline run_result run_sieve(const temp_dir& tmp, const std::string& args,
                            const std::string& env = "") {
    const char* bin = std::getenv("SIEVE_BIN");
    BOOST_REQUIRE_MESSAGE(bin != nullptr, "SIEVE_BIN is not set");
    const fs::path out = tmp / "stdout", err = tmp / "stderr";
    const std::string cmd = env + " " + quoted(bin) + " " + args + " <" + quoted("/dev/null") +
                            " >" + quoted(out.string()) + " 2>" + quoted(err.string());
    const int status = std::system(cmd.c_str());
    run_result r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = file_bytes(out);
    r.err = file_bytes(err);
    fs::remove(out);
    fs::remove(err);
    return r;
}

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

// The non-empty lines of a file.
inline std::vector<std::string> file_lines(const fs::path& p) {
    std::vector<std::string> out;
    for (auto& l : lines_of(file_bytes(p)))
        if (!l.empty())
            out.push_back(std::move(l));
    return out;
}

inline std::string string_member(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v || !v->is_string())
        return {};
    return std::string(v->get_string());
}

inline void write_file(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

} // namespace sieve_test
