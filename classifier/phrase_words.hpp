// Word classes used to cut criteria prose into phrases. Every function takes one lower-case
// ASCII word and is a pure lookup.
#pragma once
#include <string_view>

namespace sieve {

bool is_stop_word(std::string_view w);        // function words ("the", "of", "with")
bool is_filler_word(std::string_view w);      // hedges and prose verbs ("new", "existing", "using")
bool is_tail_word(std::string_view w);        // nouns of evaluation ("methods", "improvements")
bool is_content_word(std::string_view w);     // none of the above and not too general ("models")
bool is_conjunction_word(std::string_view w); // "and", "or", "nor", "versus", "vs", "but"
// Prepositions, relative pronouns and prose verbs that end one noun phrase and start another.
bool is_linking_word(std::string_view w);

} // namespace sieve
