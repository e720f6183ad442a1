// Checks that keep the loopback server to its one client (the Zotero extension): bearer token,
// Host (DNS rebinding) and Origin (web pages). Pure functions.
#pragma once
#include <string_view>

namespace sieve {

// True when `authorization` is "Bearer <token>" (scheme case-insensitive) with exactly `token`.
// The token comparison takes the same time wherever the first difference is.
bool bearer_matches(std::string_view authorization, std::string_view token);

// True when `host` is 127.0.0.1, localhost or [::1] (case-insensitive) followed by ":<port>".
bool host_allowed(std::string_view host, unsigned short port);

// True for an Origin only privileged browser code can send: chrome://, moz-extension:// or
// resource:// (the Zotero extension). Web origins (http, https, file, "null") are refused.
bool origin_allowed(std::string_view origin);

// Constant-time equality of two strings of equal length (false, early, when lengths differ).
bool constant_time_equal(std::string_view a, std::string_view b);

} // namespace sieve
