#include "classifier/phrases.hpp"

#include "classifier/ascii.hpp"
#include "classifier/phrase_text.hpp"
#include "classifier/phrase_words.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>

namespace sieve {

namespace {

using namespace phrase_text;

constexpr std::size_t max_paren_depth = 3;    // deeper parentheses are plain separators
constexpr std::size_t max_phrase_words = 6;   // longer pieces never match as a phrase
constexpr std::size_t max_slash_variants = 8; // cap on "a/b c/d" expansions per piece
constexpr std::size_t long_piece_words = 3;   // longer pieces are split at linking words

bool is_stop(std::string_view w) {
    return is_stop_word(lower_ascii(w));
}
bool is_filler(std::string_view w) {
    return is_filler_word(lower_ascii(w));
}
bool is_tail(std::string_view w) {
    return is_tail_word(lower_ascii(w));
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
// A word that can carry a phrase: has a letter (not only digits) and is not a listed word.
bool is_content(std::string_view w) {
    const bool letter = std::any_of(w.begin(), w.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
    });
    return letter && is_content_word(lower_ascii(w));
}
bool is_conjunction(std::string_view w) {
    return is_conjunction_word(lower_ascii(w));
}
bool is_linking(std::string_view w) {
    return is_linking_word(lower_ascii(w));
}

struct piece {
    std::string text;
    std::string acronym; // alias from a following "(ABC)", may be empty
};

// One parenthesised word with at least two capitals and no spaces: "MoE", "LLMs", "RL".
bool acronym_like(std::string_view s) {
    s = trim_ascii_space(s);
    if (s.empty() || s.size() > 12)
        return false;
    int caps = 0;
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 'A' && c <= 'Z')
            ++caps;
        else if (!is_alnum(c) && c != '-')
            return false;
    }
    return caps >= 2;
}

class chunker {
public:
    std::vector<piece> run(std::string_view s) {
        scan(s, 0);
        flush();
        return std::move(out_);
    }

private:
    void flush(std::string acronym = {}) {
        auto t = trim_ascii_space(cur_);
        if (!t.empty())
            out_.push_back({std::string(t), std::move(acronym)});
        cur_.clear();
    }

    static bool spaced(std::string_view s, std::size_t i) {
        const bool before = i == 0 || is_ascii_space(s[i - 1]);
        const bool after = i + 1 >= s.size() || is_ascii_space(s[i + 1]);
        return before || after;
    }

    static std::size_t closing_paren(std::string_view s, std::size_t open) {
        int depth = 0;
        for (std::size_t k = open; k < s.size(); ++k) {
            if (s[k] == '(')
                ++depth;
            else if (s[k] == ')' && --depth == 0)
                return k;
        }
        return s.size();
    }

    void scan(std::string_view s, std::size_t depth) {
        for (std::size_t i = 0; i < s.size(); ++i) {
            const char c = s[i];
            if (c == '(' && depth < max_paren_depth) {
                const std::size_t close = closing_paren(s, i);
                const auto inner = s.substr(i + 1, close - i - 1);
                if (acronym_like(inner) && !trim_ascii_space(cur_).empty()) {
                    flush(std::string(trim_ascii_space(inner)));
                } else {
                    flush();
                    scan(inner, depth + 1);
                    flush();
                }
                i = close;
            } else if (is_separator(s, i)) {
                flush();
            } else {
                cur_ += c;
            }
        }
    }

    static bool is_separator(std::string_view s, std::size_t i) {
        const bool between_digits =
            i > 0 && i + 1 < s.size() && is_digit(s[i - 1]) && is_digit(s[i + 1]); // "2:4", "1,000"
        switch (s[i]) {
        case ',':
        case ':':
            return !between_digits;
        case ';':
        case '?':
        case '!':
        case '(':
        case ')':
        case '[':
        case ']':
        case '{':
        case '}':
        case '|':
        case '<':
        case '>':
        case '=':
            return true;
        case '.':
            return i + 1 >= s.size() || is_ascii_space(s[i + 1]) || s[i + 1] == ')';
        case '/':
        case '+':
        case '&':
            return spaced(s, i);
        case '-':
            return (i == 0 || is_ascii_space(s[i - 1])) && (i + 1 >= s.size() || is_ascii_space(s[i + 1]));
        default:
            return false;
        }
    }

    std::string cur_;
    std::vector<piece> out_;
};

// Splits word lists at any word for which `at` holds (the word itself is dropped).
template <class Pred>
std::vector<std::vector<std::string>> split_at(const std::vector<std::string>& words, Pred at) {
    std::vector<std::vector<std::string>> parts(1);
    for (std::size_t i = 0; i < words.size(); ++i) {
        // "end to end", "layer by layer": the linking word is part of a name
        const bool name =
            i > 0 && i + 1 < words.size() && lower_ascii(words[i - 1]) == lower_ascii(words[i + 1]);
        if (at(words[i]) && !name) {
            if (!parts.back().empty())
                parts.emplace_back();
        } else {
            parts.back().push_back(words[i]);
        }
    }
    if (parts.back().empty())
        parts.pop_back();
    return parts;
}

// "A/B" with both sides at least two characters long (so "I/O" stays a word).
std::vector<std::string> slash_alternatives(const std::string& w) {
    if (w.find('/') == std::string::npos || w.find("://") != std::string::npos)
        return {w};
    std::vector<std::string> alts;
    std::size_t start = 0;
    while (start <= w.size()) {
        std::size_t p = w.find('/', start);
        if (p == std::string::npos)
            p = w.size();
        alts.push_back(w.substr(start, p - start));
        start = p + 1;
    }
    for (const auto& a : alts)
        if (a.size() < 2)
            return {w};
    return alts;
}

std::vector<std::vector<std::string>> expand_slashes(const std::vector<std::string>& words) {
    std::vector<std::vector<std::string>> variants(1);
    for (const auto& w : words) {
        const auto alts = slash_alternatives(w);
        std::vector<std::vector<std::string>> next;
        for (const auto& v : variants) {
            for (const auto& a : alts) {
                if (next.size() >= max_slash_variants)
                    break;
                next.push_back(v);
                next.back().push_back(a);
            }
        }
        variants = std::move(next);
    }
    return variants;
}

// Strips quote marks and stray punctuation from the ends of a word ("C++" and "C#" survive).
std::string clean_word(std::string_view w) {
    while (!w.empty() && !is_alnum(static_cast<unsigned char>(w.front())))
        w.remove_prefix(1);
    while (!w.empty() && !is_alnum(static_cast<unsigned char>(w.back())) && w.back() != '+' &&
           w.back() != '#')
        w.remove_suffix(1);
    return std::string(w);
}

// Trims stopwords and filler from both ends, and nouns of evaluation from either end while a
// content word remains; empty when no content word is left.
std::vector<std::string> trim_phrase(std::vector<std::string> w) {
    auto has_content = [&](std::size_t from, std::size_t to) {
        return std::any_of(w.begin() + static_cast<std::ptrdiff_t>(from),
                           w.begin() + static_cast<std::ptrdiff_t>(to), is_content);
    };
    auto droppable = [&](const std::string& x) { return is_stop(x) || is_filler(x); };
    std::size_t b = 0, e = w.size();
    while (b < e && (droppable(w[b]) || (is_tail(w[b]) && has_content(b + 1, e))))
        ++b;
    while (e > b && (droppable(w[e - 1]) || (is_tail(w[e - 1]) && has_content(b, e - 1))))
        --e;
    if (!has_content(b, e))
        return {};
    return {w.begin() + static_cast<std::ptrdiff_t>(b), w.begin() + static_cast<std::ptrdiff_t>(e)};
}

std::string join(const std::vector<std::string>& w, char sep) {
    std::string out;
    for (const auto& s : w) {
        if (!out.empty())
            out += sep;
        out += s;
    }
    return out;
}

void add_alias(phrase& p, std::string alias) {
    const auto key = lower_ascii(alias);
    for (const auto& a : p.aliases)
        if (lower_ascii(a) == key)
            return;
    p.aliases.push_back(std::move(alias));
}

// "mixture of experts" -> "mixture-of-experts", "state of the art pruning" ->
// "state-of-the-art pruning" (lower case); empty when no inner word joins others.
std::string hyphenate_joined(const std::vector<std::string>& words) {
    auto joiner = [](const std::string& w) {
        const auto l = lower_ascii(w);
        return l == "of" || l == "to" || l == "the" || l == "in" || l == "on" || l == "and";
    };
    bool any = false;
    std::string out = lower_ascii(words.front());
    for (std::size_t i = 1; i < words.size(); ++i) {
        const bool inner =
            (i + 1 < words.size() && joiner(words[i])) || (i >= 2 && joiner(words[i - 1]));
        any = any || inner;
        out += inner ? '-' : ' ';
        out += lower_ascii(words[i]);
    }
    return any ? out : std::string();
}

phrase make_phrase(const std::vector<std::string>& words, const std::string& acronym) {
    phrase p;
    p.text = join(words, ' ');
    add_alias(p, p.text);
    auto low = lower_ascii(p.text);
    bool inner_hyphen = false;
    for (std::size_t i = 1; i + 1 < low.size(); ++i)
        if (low[i] == '-' && is_alnum(static_cast<unsigned char>(low[i - 1])) &&
            is_alnum(static_cast<unsigned char>(low[i + 1]))) {
            low[i] = ' ';
            inner_hyphen = true;
        }
    if (inner_hyphen)
        add_alias(p, low);
    if (auto hyphenated = hyphenate_joined(words); !hyphenated.empty())
        add_alias(p, std::move(hyphenated));
    if (!acronym.empty())
        add_alias(p, acronym);
    return p;
}

void add_phrase(std::vector<phrase>& out, phrase p) {
    const auto key = lower_ascii(p.text);
    for (auto& q : out) {
        if (lower_ascii(q.text) != key)
            continue;
        for (auto& a : p.aliases)
            add_alias(q, std::move(a));
        return;
    }
    out.push_back(std::move(p));
}

void extract_from_piece(const piece& pc, std::vector<phrase>& out) {
    std::vector<std::string> words;
    for (const auto& w : split_words(pc.text)) {
        auto c = clean_word(w);
        if (!c.empty())
            words.push_back(std::move(c));
    }
    auto parts = split_at(words, is_conjunction);
    const bool named = !pc.acronym.empty() && words.size() <= max_phrase_words;
    if (named)
        parts = {words}; // "Low-rank adaptation of LLMs (LoRA)" is one name
    for (std::size_t k = 0; k < parts.size(); ++k) {
        auto sub = parts[k].size() > long_piece_words && !named
                       ? split_at(parts[k], is_linking)
                       : std::vector<std::vector<std::string>>{parts[k]};
        for (std::size_t m = 0; m < sub.size(); ++m) {
            const bool last = k + 1 == parts.size() && m + 1 == sub.size();
            for (auto& v : expand_slashes(sub[m])) {
                auto t = trim_phrase(std::move(v));
                if (t.empty() || t.size() > max_phrase_words)
                    continue;
                add_phrase(out, make_phrase(t, last ? pc.acronym : std::string()));
            }
        }
    }
}

} // namespace

std::vector<phrase> extract_phrases(std::string_view text) {
    const auto prepared = drop_abbreviations(normalise(text));
    std::vector<phrase> out;
    for (const auto& pc : chunker{}.run(prepared))
        extract_from_piece(pc, out);
    return out;
}

} // namespace sieve
