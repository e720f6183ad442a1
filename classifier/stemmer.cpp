#include "classifier/stemmer.hpp"

#include "classifier/big_alloc.hpp"
#include "classifier/hash.hpp"

#include <libstemmer.h>

#include <array>
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <boost/unordered/unordered_flat_set.hpp>

namespace sieve {

namespace {

struct stemmer_deleter {
    void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};

// A two-way set-associative cache (like a CPU's): each word has one set of two slots, chosen by
// its hash, that hold words and their stems inline; the most recently used slot of a set comes
// first, and a new word pushes out the least recently used one. Fixed size, so no rehash stalls a
// paper, and a lookup touches one set (two adjacent 64-byte slots in page-aligned memory). The
// table is zeroed anonymous memory from the kernel (big_allocator), paged in as sets fill.
class cached_stemmer {
public:
    cached_stemmer()
        : stemmer_(sb_stemmer_new("english", "UTF_8")), slots_(alloc_.allocate(slot_count)) {}
    ~cached_stemmer() { alloc_.deallocate(slots_, slot_count); }
    cached_stemmer(const cached_stemmer&) = delete;
    cached_stemmer& operator=(const cached_stemmer&) = delete;

    std::string_view operator()(std::string_view word) {
        if (word.size() > max_word)
            return long_ = stem_now(word);
        slot* set = set_of(word);
        if (holds(set[0], word))
            return {set[0].stem, set[0].stem_size};
        if (holds(set[1], word)) {
            std::swap(set[0], set[1]);
            return {set[0].stem, set[0].stem_size};
        }
        std::string_view out = stem_now(word);
        if (out.size() > max_word)
            return long_ = out;
        set[1] = set[0];
        slot& s = set[0];
        s.word_size = static_cast<std::uint8_t>(word.size() + 1); // 0: empty slot
        s.stem_size = static_cast<std::uint8_t>(out.size());
        std::memcpy(s.word, word.data(), word.size());
        std::memmove(s.stem, out.data(), out.size());
        return {s.stem, s.stem_size};
    }

    void prefetch(std::string_view word) const {
        if (word.size() > max_word) return;
        const slot* set = set_of(word);
        __builtin_prefetch(set);
        __builtin_prefetch(set + 1);
    }

private:
    static constexpr std::size_t max_word = 31;
    static constexpr std::size_t slot_count = std::size_t{1} << 16; // 4 MiB

    struct slot {
        std::uint8_t word_size, stem_size;
        char word[max_word], stem[max_word];
    };
    static_assert(sizeof(slot) == 64);

    slot* set_of(std::string_view word) const {
        return slots_ + (fnv1a64(word) & (slot_count / 2 - 1)) * 2;
    }
    static bool holds(const slot& s, std::string_view word) {
        return s.word_size == word.size() + 1 && std::memcmp(s.word, word.data(), word.size()) == 0;
    }

    // The stem in libstemmer's buffer (valid until its next call), or the word itself.
    std::string_view stem_now(std::string_view word) {
        if (!stemmer_ || word.size() <= 2)
            return word;
        const sb_symbol* r = sb_stemmer_stem(stemmer_.get(),
                                             reinterpret_cast<const sb_symbol*>(word.data()),
                                             static_cast<int>(word.size()));
        if (!r)
            return word;
        return {reinterpret_cast<const char*>(r),
                static_cast<std::size_t>(sb_stemmer_length(stemmer_.get()))};
    }

    std::unique_ptr<sb_stemmer, stemmer_deleter> stemmer_;
    big_allocator<slot> alloc_;
    slot* slots_;
    std::string long_; // the stem of a word too long for a slot
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

namespace {
cached_stemmer& this_thread_stemmer() {
    thread_local cached_stemmer s;
    return s;
}
} // namespace

std::string_view stem(std::string_view word) { return this_thread_stemmer()(word); }

void prefetch_stem(std::string_view word) { this_thread_stemmer().prefetch(word); }

namespace {
// A word of at most 8 bytes as a number (zero-padded; words hold no zero bytes).
std::uint64_t packed(std::string_view word) {
    std::uint64_t v = 0;
    std::memcpy(&v, word.data(), std::min<std::size_t>(word.size(), 8));
    return v;
}
} // namespace

bool is_stopword(std::string_view word) {
    static const boost::unordered_flat_set<std::uint64_t> set = [] {
        boost::unordered_flat_set<std::uint64_t> s;
        for (auto w : stopwords) s.insert(packed(w));
        return s;
    }();
    return word.size() <= 7 && set.contains(packed(word));
}

} // namespace sieve
