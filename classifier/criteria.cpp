// Placeholder until the criteria parser lands.
#include "classifier/criteria.hpp"
#include "classifier/embedded.hpp"

namespace sieve {

std::string criteria_error::what() const {
    return line_no ? "line " + std::to_string(line_no) + ": " + message : message;
}

void throw_exception_from_error(const criteria_error& e) { throw std::runtime_error(e.what()); }

boost::system::result<criteria, criteria_error> parse_criteria(std::string_view) {
    return criteria_error{0, "criteria parser not implemented yet"};
}

std::string_view default_criteria_text() { return embedded_seed_criteria(); }

} // namespace sieve
