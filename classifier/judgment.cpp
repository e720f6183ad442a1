#include "classifier/judgment.hpp"

namespace sieve {

std::string_view to_string(verdict v) {
    switch (v) {
    case verdict::relevant:
        return "relevant";
    case verdict::application:
        return "application";
    case verdict::irrelevant:
        return "irrelevant";
    }
    return "irrelevant";
}

std::optional<verdict> verdict_from_string(std::string_view s) {
    for (auto v : {verdict::relevant, verdict::application, verdict::irrelevant})
        if (s == to_string(v))
            return v;
    return std::nullopt;
}

} // namespace sieve
