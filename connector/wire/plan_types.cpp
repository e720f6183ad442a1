#include "connector/wire/plan_types.hpp"

#include "classifier/hash.hpp"

namespace sieve {

std::string_view to_string(note_action a) {
    switch (a) {
    case note_action::create:
        return "create";
    case note_action::replace:
        return "replace";
    case note_action::keep:
        return "keep";
    case note_action::user_edited:
        return "user_edited";
    case note_action::erase:
        return "delete";
    }
    return "keep";
}

bool plan::empty() const {
    return add_tags.empty() && remove_tags.empty() &&
           (note.action == note_action::keep || note.action == note_action::user_edited);
}

std::string note_hash(std::string_view html) { return hex64(fnv1a64(html)); }

} // namespace sieve
