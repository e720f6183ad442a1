#include "connector/cli/version_info.hpp"

#include "classifier/criteria.hpp"
#include "classifier/embedded.hpp"
#include "classifier/model.hpp"

namespace sieve {

std::string version_text() {
    std::string out = "sieve " SIEVE_VERSION "\n";
    auto m = parse_model(embedded_model_text());
    out += "model " + (m ? m->version : std::string("(invalid)")) + " (embedded)\n";
    auto c = parse_criteria(default_criteria_text());
    out += "criteria " + (c ? c->version : std::string("(invalid)")) + " (embedded seed)";
    return out;
}

} // namespace sieve
