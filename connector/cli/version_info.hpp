// Versions reported by `sieve --version` and GET /v1/health.
#pragma once
#include <string>

namespace sieve {

// "sieve <version>\nmodel <model version>\ncriteria <criteria version> (seed)"
std::string version_text();

} // namespace sieve
