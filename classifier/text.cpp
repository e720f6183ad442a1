#include "classifier/text.hpp"

#include <algorithm>

#include "classifier/markup.hpp"
#include "classifier/stemmer.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace sieve {

namespace {

constexpr std::size_t max_inline_math = 300; // a '$' with no partner this close is a literal

bool is_ascii_word_char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Decodes the code point at i (advancing i); returns a negative value for invalid UTF-8.
UChar32 next_code_point(std::string_view s, std::size_t& i) {
    UChar32 c = 0;
    auto pos = static_cast<int32_t>(i);
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), pos, static_cast<int32_t>(s.size()), c);
    i = static_cast<std::size_t>(pos);
    return c;
}

bool is_word_code_point(UChar32 c) {
    return c >= 0 && (u_isalnum(c) || (u_getCombiningClass(c) > 0) ||
                      u_charType(c) == U_NON_SPACING_MARK);
}

std::string fold(std::string_view word, bool ascii) {
    std::string out(word);
    if (ascii) {
        for (auto& ch : out)
            if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
        return out;
    }
    UErrorCode err = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(err);
    if (U_FAILURE(err)) return out;
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(),
                                                        static_cast<int32_t>(word.size())));
    icu::UnicodeString folded = n->normalize(u, err);
    if (U_FAILURE(err)) return out;
    out.clear();
    folded.toUTF8String(out);
    return out;
}

// Length of a LaTeX math region starting at i ("$...$", "$$...$$", "\(...\)", "\[...\]"),
// or 0 when the text at i does not open one that closes nearby.
std::size_t math_length(std::string_view t, std::size_t i) {
    std::string_view close;
    std::size_t open = 0;
    if (t.compare(i, 2, "$$") == 0) { close = "$$"; open = 2; }
    else if (t[i] == '$') { close = "$"; open = 1; }
    else if (t.compare(i, 2, "\\(") == 0) { close = "\\)"; open = 2; }
    else if (t.compare(i, 2, "\\[") == 0) { close = "\\]"; open = 2; }
    else return 0;
    auto end = t.find(close, i + open);
    if (end == std::string_view::npos || end - i > max_inline_math) return 0;
    return end + close.size() - i;
}

// Skips a LaTeX command at i ('\' then letters, or '\' and one symbol); returns its length.
std::size_t command_length(std::string_view t, std::size_t i) {
    std::size_t j = i + 1;
    while (j < t.size() && ((t[j] >= 'a' && t[j] <= 'z') || (t[j] >= 'A' && t[j] <= 'Z'))) ++j;
    return j == i + 1 ? std::min<std::size_t>(2, t.size() - i) : j - i;
}

class tokenizer {
public:
    // map: text's offsets into src (strip_markup), or nullptr when text is src itself.
    tokenizer(std::string_view text, std::string_view src, const std::vector<std::uint32_t>* map,
              token_stats* stats)
        : t_(text), src_(src), map_(map), stats_(stats) {}

    std::vector<token> run() {
        std::vector<token> out;
        out.reserve(t_.size() / 6);
        std::size_t i = 0;
        while (i < t_.size()) {
            auto c = static_cast<unsigned char>(t_[i]);
            if (c == '$' || c == '\\') {
                if (auto m = math_length(t_, i)) { i += m; continue; }
                if (c == '\\') { i += command_length(t_, i); continue; }
                ++i;
                continue;
            }
            if (is_ascii_word_char(c) || c >= 0x80) {
                i = word_at(i, out);
                continue;
            }
            ++i;
        }
        stem_words(out);
        return out;
    }

private:
    // Reads the word starting at i (if any) into out; returns the index after it.
    std::size_t word_at(std::size_t i, std::vector<token>& out) {
        std::size_t start = i;
        std::size_t end = i;
        bool ascii = true;
        bool latin = false;
        bool digits_only = true;
        while (end < t_.size()) {
            auto c = static_cast<unsigned char>(t_[end]);
            if (c < 0x80) {
                if (!is_ascii_word_char(c)) break;
                digits_only = digits_only && c >= '0' && c <= '9';
                latin = latin || !(c >= '0' && c <= '9');
                ++end;
                continue;
            }
            std::size_t next = end;
            UChar32 cp = next_code_point(t_, next);
            if (!is_word_code_point(cp)) break;
            ascii = false;
            digits_only = digits_only && u_isdigit(cp);
            UErrorCode err = U_ZERO_ERROR;
            latin = latin || uscript_getScript(cp, &err) == USCRIPT_LATIN;
            end = next;
        }
        if (end == start) { // a lone invalid byte or non-word code point
            std::size_t next = i;
            next_code_point(t_, next);
            return next > i ? next : i + 1;
        }
        emit(start, end, ascii, latin, digits_only, out);
        return end;
    }

    // Stems the words emit() marked (stem_all fetches the stem cache's slots ahead).
    void stem_words(std::vector<token>& out) const {
        std::vector<std::string*> words(to_stem_.size());
        for (std::size_t k = 0; k < to_stem_.size(); ++k) words[k] = &out[to_stem_[k]].term;
        stem_all(words);
    }

    void emit(std::size_t b, std::size_t e, bool ascii, bool latin, bool digits,
              std::vector<token>& out) {
        token tk;
        tk.begin = source(b);
        tk.end = source_end(e);
        if (digits) {
            tk.term = "#";
        } else {
            tk.term = fold(t_.substr(b, e - b), ascii);
            tk.stop = is_stopword(tk.term);
            if (!tk.stop) to_stem_.push_back(out.size()); // stemmed by stem_words
        }
        if (stats_) {
            ++stats_->words;
            stats_->latin += latin ? 1 : 0;
            stats_->stopwords += tk.stop ? 1 : 0;
        }
        out.push_back(std::move(tk));
    }

    std::uint32_t source(std::size_t i) const {
        return map_ ? (*map_)[i] : static_cast<std::uint32_t>(i);
    }

    // End in the source of a word ending before text byte e: just past the construct its last
    // byte came from (the byte itself, or a whole entity), not past the markup that follows.
    std::uint32_t source_end(std::size_t e) const {
        if (!map_) return static_cast<std::uint32_t>(e);
        const std::uint32_t last = (*map_)[e - 1], next = (*map_)[e];
        if (last < src_.size() && src_[last] == t_[e - 1]) return last + 1; // a literal byte
        const auto semi = src_.find(';', last);                           // a decoded entity
        return semi != std::string_view::npos && semi < next ? static_cast<std::uint32_t>(semi + 1)
                                                             : next;
    }

    std::string_view t_;
    std::string_view src_;
    const std::vector<std::uint32_t>* map_;
    token_stats* stats_;
    std::vector<std::size_t> to_stem_; // tokens of out still to stem
};

} // namespace

std::vector<token> tokenize(std::string_view field, token_stats* stats) {
    // (find_first_of would call memchr once per byte)
    bool markup = std::any_of(field.begin(), field.end(), [](char c) { return c == '<' || c == '&'; });
    if (markup) {
        mapped_text m = strip_markup(field);
        return tokenizer(m.text, field, &m.source_offset, stats).run();
    }
    return tokenizer(field, field, nullptr, stats).run();
}

std::string normalise_term(std::string_view word) {
    auto toks = tokenize(word);
    return toks.empty() ? std::string() : toks.front().term;
}

bool looks_non_english(const token_stats& s) {
    if (s.words < 8) return false;
    if (s.latin * 2 < s.words) return true;
    return s.words >= 30 && s.stopwords * 100 < s.words * 8;
}

} // namespace sieve
