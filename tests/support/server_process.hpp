// Test support: runs the real `$SIEVE_BIN serve` as a child process and talks HTTP to it.
#pragma once
#include <boost/json/value.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <sys/types.h>
#include <vector>

namespace sieve::test {

// A fresh empty directory under the system temp dir, removed on destruction.
struct temp_dir {
    temp_dir();
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    std::filesystem::path path;
};

std::string env_or_fail(const char* name);        // throws when the variable is unset
std::string schema_path(const std::string& name); // $SIEVE_SOURCE/schema/api/<name>

class server_process {
public:
    // Starts `$SIEVE_BIN serve --port 0 --state-dir <state_dir> <extra...>` and waits (up to 10 s)
    // for its "listening:" line; reads the port from it and the token from <state_dir>/token.
    // Throws when it exits or stays silent.
    server_process(const std::filesystem::path& state_dir, std::vector<std::string> extra);
    ~server_process(); // SIGTERM and wait when still running

    // Sends `sig` and waits up to `limit` for the exit; returns the exit status (-1: killed).
    int stop(int sig, std::chrono::milliseconds limit = std::chrono::seconds(5));

    unsigned short port = 0;
    std::string token;
    std::string output; // stdout + stderr read so far

private:
    pid_t pid_ = -1;
    int out_fd_ = -1;
};

struct http_reply {
    unsigned status = 0;
    std::map<std::string, std::string> headers; // lower-case names
    std::string body;
    boost::json::value json() const; // parsed body; throws when not JSON
};

// One request on a new connection. Unless given in `headers`, sets Host 127.0.0.1:<port> and
// Authorization "Bearer <token>" (an empty value in `headers` removes a default header).
http_reply http_call(unsigned short port, const std::string& token, const std::string& method,
                     const std::string& target, const std::string& body = {},
                     const std::map<std::string, std::string>& headers = {});

// Runs a command line through /bin/sh; returns its exit status and combined output.
int run_command(const std::string& command, std::string& output);

} // namespace sieve::test
