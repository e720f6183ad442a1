#include "connector/http/request_guard.hpp"

#include <string>

namespace sieve {

namespace {

bool iequal(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

} // namespace

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false; // the token length is public
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff = static_cast<unsigned char>(
            diff | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i])));
    return diff == 0;
}

bool bearer_matches(std::string_view authorization, std::string_view token) {
    constexpr std::string_view scheme = "bearer ";
    if (token.empty() || authorization.size() < scheme.size())
        return false;
    if (!iequal(authorization.substr(0, scheme.size()), scheme))
        return false;
    return constant_time_equal(authorization.substr(scheme.size()), token);
}

bool origin_allowed(std::string_view origin) {
    for (std::string_view scheme : {"chrome://", "moz-extension://", "resource://"})
        if (origin.substr(0, scheme.size()) == scheme)
            return true;
    return false;
}

bool host_allowed(std::string_view host, unsigned short port) {
    std::string suffix(1, ':');
    suffix += std::to_string(port);
    if (host.size() <= suffix.size() || host.substr(host.size() - suffix.size()) != suffix)
        return false;
    std::string_view name = host.substr(0, host.size() - suffix.size());
    return name == "127.0.0.1" || iequal(name, "localhost") || name == "[::1]";
}

} // namespace sieve
