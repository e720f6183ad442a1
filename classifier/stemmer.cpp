#include "classifier/stemmer.hpp"

#include <libstemmer.h>

#include <array>
#include <algorithm>
#include <memory>
#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

namespace sieve {

namespace {

struct stemmer_deleter {
    void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};

struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};

class cached_stemmer {
public:
    cached_stemmer() : stemmer_(sb_stemmer_new("english", "UTF_8")) {}

    const std::string& operator()(std::string_view word) {
        if (auto it = cache_.find(word); it != cache_.end()) return it->second;
        if (cache_.size() > max_entries) cache_.clear();
        std::string out(word);
        if (stemmer_ && word.size() > 2) {
            const sb_symbol* r = sb_stemmer_stem(
                stemmer_.get(), reinterpret_cast<const sb_symbol*>(word.data()),
                static_cast<int>(word.size()));
            if (r) out.assign(reinterpret_cast<const char*>(r),
                              static_cast<std::size_t>(sb_stemmer_length(stemmer_.get())));
        }
        return cache_.emplace(std::string(word), std::move(out)).first->second;
    }

private:
    static constexpr std::size_t max_entries = 500'000;
    std::unique_ptr<sb_stemmer, stemmer_deleter> stemmer_;
    boost::unordered_flat_map<std::string, std::string, string_hash, std::equal_to<>> cache_;
};

constexpr std::array<std::string_view, 64> stopwords = {
    "a",    "about", "after", "all",   "also",  "an",    "and",   "any",  "are",  "as",
    "at",   "be",    "been",  "both",  "but",   "by",    "can",   "do",   "each", "for",
    "from", "has",   "have",  "how",   "however", "if",  "in",    "into", "is",   "it",
    "its",  "may",   "more",  "most",  "not",   "of",    "on",    "or",   "other", "our",
    "over", "such",  "than",  "that",  "the",   "their", "them",  "then", "there", "these",
    "they", "this",  "those", "through", "to",  "under", "use",   "we",   "were", "what",
    "when", "which", "while", "with"};

} // namespace

const std::string& stem(std::string_view word) {
    thread_local cached_stemmer s;
    return s(word);
}

bool is_stopword(std::string_view word) {
    static const boost::unordered_flat_set<std::string_view> set(stopwords.begin(),
                                                                 stopwords.end());
    return word.size() <= 7 && set.contains(word);
}

} // namespace sieve
