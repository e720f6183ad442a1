#include "classifier/stemmer.hpp"

#include "classifier/big_alloc.hpp"
#include "classifier/hash.hpp"

#include <libstemmer.h>

#include <array>
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <utility>

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

public:
    cached_stemmer()
        : stemmer_(sb_stemmer_new("english", "UTF_8")), slots_(alloc_.allocate(slot_count)) {}
    ~cached_stemmer() { alloc_.deallocate(slots_, slot_count); }
    cached_stemmer(const cached_stemmer&) = delete;
    cached_stemmer& operator=(const cached_stemmer&) = delete;

    std::string_view operator()(std::string_view word) {
        return word.size() > max_word ? (long_ = stem_now(word)) : lookup(word, set_of(word));
    }

    // Stems each word in place, fetching the sets a few words ahead (each word hashed once).
    void stem_all(std::span<std::string* const> words) {
        constexpr std::size_t ahead = 8;
        std::array<slot*, ahead> sets{};
        auto fetch = [&](std::size_t k) {
            slot* set = words[k]->size() <= max_word ? set_of(*words[k]) : nullptr;
            if (set) __builtin_prefetch(set), __builtin_prefetch(set + 1);
            sets[k % ahead] = set;
        };
        for (std::size_t k = 0; k < ahead && k < words.size(); ++k) fetch(k);
        for (std::size_t k = 0; k < words.size(); ++k) {
            slot* set = sets[k % ahead];
            if (k + ahead < words.size()) fetch(k + ahead);
            const std::string_view out = set ? lookup(*words[k], set) : (long_ = stem_now(*words[k]));
            words[k]->assign(out.data(), out.size());
        }
    }

private:
    // The stem of a word of at most max_word bytes whose set is `set`.
    std::string_view lookup(std::string_view word, slot* set) {
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

void stem_all(std::span<std::string* const> words) { this_thread_stemmer().stem_all(words); }

namespace {
// A word of at most 8 bytes as a number (zero-padded; words hold no zero bytes).
std::uint64_t packed(std::string_view word) {
    std::uint64_t v = 0; // byte by byte: a memcpy of variable length would be a call
    for (std::size_t i = 0; i < word.size() && i < 8; ++i)
        v |= std::uint64_t(static_cast<unsigned char>(word[i])) << (8 * i);
    return v;
}

// The stopwords in an open-addressed table of 256 packed words (0: free), by a multiplicative
// hash: a lookup is a multiply and, mostly, one comparison.
struct stopword_table {
    std::array<std::uint64_t, 256> slot{};
    static std::size_t home(std::uint64_t v) { return (v * 0x9E3779B97F4A7C15ULL) >> 56; }
    stopword_table() {
        for (auto w : stopwords) {
            std::size_t i = home(packed(w));
            while (slot[i] != 0) i = (i + 1) & 255;
            slot[i] = packed(w);
        }
    }
    bool contains(std::uint64_t v) const {
        for (std::size_t i = home(v);; i = (i + 1) & 255) {
            if (slot[i] == v) return true;
            if (slot[i] == 0) return false;
        }
    }
};
} // namespace

bool is_stopword(std::string_view word) {
    static const stopword_table table;
    return !word.empty() && word.size() <= 7 && table.contains(packed(word));
}

} // namespace sieve
