// Data compiled into the binary from data/ (see classifier/CMakeLists.txt).
#pragma once
#include <string_view>

namespace sieve {

std::string_view embedded_seed_criteria(); // data/criteria/seed-criteria.md (copy of the seed)

} // namespace sieve

namespace sieve {
std::string_view embedded_model_text(); // data/model/sieve-model.txt (see docs/classifier.md)
std::string_view embedded_fields_text(); // data/model/sieve-fields.txt (classifier/fields.hpp)
}
