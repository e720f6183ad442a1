// The fields the seed-exact judges' reasons name ("a medical imaging application", "remote-sensing
// change detection"): labels for the notes' reason-trained field heads (fields.hpp). arXiv
// categories cannot name the domain an ML paper applies its method to (a pathology paper is
// cs.CV, a stock-prediction one cs.LG), the judges' one-sentence reasons usually do.
//
// The rules are substring tests on the lower-cased reason (docs/notes.md lists them); they label
// training papers only and are never applied to a paper being judged.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace sieve {

// The names of the fields the rules can name, in rule order; some are also names of
// category fields (note_field_names), some are only read from reasons ("Medical Imaging").
const std::vector<std::string>& reason_field_names();

// For each rule (reason_field_names order), whether any of the reasons names that field.
std::vector<bool> reason_fields(const std::vector<std::string>& reasons);

} // namespace sieve
