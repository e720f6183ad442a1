#include "connector/version_info.hpp"

#include "classifier/criteria.hpp"

namespace sieve {

std::string version_text() {
    std::string out = "sieve " SIEVE_VERSION "\n";
    out += "model (none yet)\n";
    auto c = parse_criteria(default_criteria_text());
    out += "criteria " + (c ? c->version : std::string("(invalid)")) + " (embedded seed)";
    return out;
}

} // namespace sieve
