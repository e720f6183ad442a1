#include "classifier/matcher.hpp"

#include <algorithm>

namespace sieve {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// text is the alias word, starts with it, or differs from it by a plural ending.
bool same_word(std::string_view alias, std::string_view text) {
    if (text.starts_with(alias)) return true;
    for (std::string_view suffix : {"s", "es"})
        if (alias.size() == text.size() + suffix.size() && alias.starts_with(text) &&
            alias.ends_with(suffix))
            return true;
    return false;
}

} // namespace

std::vector<phrase_match> distinct_matches(const std::vector<phrase_match>& ms) {
    std::vector<phrase_match> out;
    for (const auto& m : ms)
        if (std::none_of(out.begin(), out.end(), [&](const phrase_match& o) {
                return o.line == m.line && o.phrase == m.phrase;
            }))
            out.push_back(m);
    return out;
}

criteria_matcher::criteria_matcher(const criteria& c) {
    for (std::size_t l = 0; l < c.lines.size(); ++l) {
        const auto& line = c.lines[l];
        for (std::size_t p = 0; p < line.phrases.size(); ++p) {
            for (const auto& alias : line.phrases[p].aliases) {
                pattern pat{{}, {}, l, p};
                bool content = false;
                for (auto& tk : tokenize(alias)) {
                    content = content || !tk.stop;
                    pat.words.push_back(lower(alias.substr(tk.begin, tk.end - tk.begin)));
                    pat.terms.push_back(std::move(tk.term));
                }
                if (!content) continue; // only stopwords or nothing: would match everywhere
                bool dup = std::any_of(patterns_.begin(), patterns_.end(), [&](const pattern& q) {
                    return q.line == l && q.phrase == p && q.terms == pat.terms;
                });
                if (dup) continue;
                by_first_term_[pat.terms.front()].push_back(patterns_.size());
                patterns_.push_back(std::move(pat));
            }
        }
    }
}

std::vector<phrase_match> criteria_matcher::find(const std::vector<token>& toks) const {
    std::vector<phrase_match> out;
    for (std::size_t i = 0; i < toks.size(); ++i) {
        auto it = by_first_term_.find(toks[i].term);
        if (it == by_first_term_.end()) continue;
        std::size_t before = out.size();
        for (std::size_t idx : it->second) {
            const pattern& pat = patterns_[idx];
            if (i + pat.terms.size() > toks.size()) continue;
            bool ok = true;
            for (std::size_t k = 1; k < pat.terms.size() && ok; ++k)
                ok = toks[i + k].term == pat.terms[k];
            if (!ok) continue;
            bool seen = std::any_of(out.begin() + static_cast<std::ptrdiff_t>(before), out.end(),
                                    [&](const phrase_match& m) {
                                        return m.line == pat.line && m.phrase == pat.phrase;
                                    });
            if (!seen) out.push_back({pat.line, pat.phrase, i, i + pat.terms.size(), idx});
        }
    }
    return out;
}

bool criteria_matcher::written_as_phrase(const phrase_match& m, const std::vector<token>& toks,
                                         std::string_view field) const {
    const pattern& pat = patterns_.at(m.pattern);
    for (std::size_t k = 0; k < pat.words.size(); ++k) {
        const token& tk = toks.at(m.first_token + k);
        if (tk.end > field.size() || tk.begin > tk.end) return false;
        if (!same_word(pat.words[k], lower(field.substr(tk.begin, tk.end - tk.begin))))
            return false;
    }
    return true;
}

} // namespace sieve
