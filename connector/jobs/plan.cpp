#include "connector/jobs/plan.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

namespace sieve {

namespace {

constexpr std::string_view note_attr = "data-sieve-note";
constexpr std::string_view hash_attr = "data-sieve-hash";

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

std::size_t skip_space(std::string_view s, std::size_t i) {
    while (i < s.size() && is_space(s[i]))
        ++i;
    return i;
}

bool iequal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
               return lower(x) == lower(y);
           });
}

struct attribute {
    std::string_view name;
    std::string_view value;
    std::size_t begin = 0; // offset of the whitespace before the name
    std::size_t end = 0;   // one past the value (and its closing quote)
};

// A start tag found at `open` (the '<'): its name, attributes and the offset past its '>'.
struct start_tag {
    std::string_view name;
    std::vector<attribute> attributes;
    std::size_t end = 0;
    const attribute* find(std::string_view n) const {
        for (const auto& a : attributes)
            if (iequal(a.name, n))
                return &a;
        return nullptr;
    }
};

bool is_name_end(char c) {
    return is_space(c) || c == '>' || c == '/' || c == '=';
}

std::optional<attribute> read_attribute(std::string_view s, std::size_t& i) {
    attribute a;
    a.begin = i;
    i = skip_space(s, i);
    std::size_t name_begin = i;
    while (i < s.size() && !is_name_end(s[i]))
        ++i;
    if (i == name_begin)
        return std::nullopt;
    a.name = s.substr(name_begin, i - name_begin);
    std::size_t j = skip_space(s, i);
    if (j < s.size() && s[j] == '=') {
        j = skip_space(s, j + 1);
        if (j < s.size() && (s[j] == '"' || s[j] == '\'')) {
            auto close = s.find(s[j], j + 1);
            if (close == std::string_view::npos)
                return std::nullopt;
            a.value = s.substr(j + 1, close - j - 1);
            i = close + 1;
        } else {
            std::size_t v = j;
            while (j < s.size() && !is_space(s[j]) && s[j] != '>')
                ++j;
            a.value = s.substr(v, j - v);
            i = j;
        }
    }
    a.end = i;
    return a;
}

// Parses the first element's start tag at or after `from` (leading whitespace allowed).
std::optional<start_tag> read_start_tag(std::string_view s, std::size_t from) {
    std::size_t i = skip_space(s, from);
    if (i >= s.size() || s[i] != '<')
        return std::nullopt;
    start_tag t;
    std::size_t name_begin = ++i;
    while (i < s.size() && !is_name_end(s[i]))
        ++i;
    t.name = s.substr(name_begin, i - name_begin);
    if (t.name.empty())
        return std::nullopt;
    while (true) {
        std::size_t j = skip_space(s, i);
        if (j >= s.size())
            return std::nullopt;
        if (s[j] == '>' || (s[j] == '/' && j + 1 < s.size() && s[j + 1] == '>')) {
            t.end = s[j] == '>' ? j + 1 : j + 2;
            return t;
        }
        auto a = read_attribute(s, i);
        if (!a)
            return std::nullopt;
        t.attributes.push_back(*a);
    }
}

// The start tag of the Sieve note root in `html`, looking inside Zotero's schema wrapper.
std::optional<start_tag> sieve_root(std::string_view html) {
    auto t = read_start_tag(html, 0);
    if (!t || !iequal(t->name, "div"))
        return std::nullopt;
    if (t->find(note_attr))
        return t;
    if (!t->find("data-schema-version"))
        return std::nullopt;
    auto inner = read_start_tag(html, t->end);
    if (inner && iequal(inner->name, "div") && inner->find(note_attr))
        return inner;
    return std::nullopt;
}

bool unedited(const item_note& n, const std::vector<written_note>& written) {
    if (stamp_intact(n.html))
        return true;
    std::string h = note_hash(n.html);
    return std::any_of(written.begin(), written.end(),
                       [&](const written_note& w) { return w.key == n.key && w.html_hash == h; });
}

const item_note* find_sieve_note(const item_content& item) {
    for (const auto& n : item.notes) {
        if (is_sieve_note(n.html))
            return &n;
        for (const auto& w : item.written)
            if (w.key == n.key)
                return &n;
    }
    return nullptr;
}

note_plan plan_note(const judgment& j, const item_content& item) {
    std::string desired = stamp_note(j.note_html);
    const item_note* current = find_sieve_note(item);
    note_plan p;
    if (!current) {
        if (desired.empty())
            return p; // nothing to write, nothing there: keep
        p.action = note_action::create;
        p.html = std::move(desired);
        return p;
    }
    p.key = current->key;
    if (desired.empty() || current->html == desired)
        return p; // keep
    if (!unedited(*current, item.written)) {
        p.action = note_action::user_edited;
        return p;
    }
    p.action = note_action::replace;
    p.html = std::move(desired);
    return p;
}

} // namespace

std::vector<std::string> sieve_tags(const judgment& j, std::string_view prefix) {
    std::vector<std::string> out;
    out.push_back(std::string(prefix) + std::string(to_string(j.label)));
    for (const auto& t : j.topics) {
        std::string tag = std::string(prefix) + "topic/" + t;
        if (std::find(out.begin(), out.end(), tag) == out.end())
            out.push_back(std::move(tag));
    }
    return out;
}

bool is_sieve_note(std::string_view html) {
    return sieve_root(html).has_value();
}

bool stamp_intact(std::string_view html) {
    auto root = sieve_root(html);
    if (!root)
        return false;
    const attribute* h = root->find(hash_attr);
    if (!h)
        return false;
    std::string rest(html.substr(0, h->begin));
    rest.append(html.substr(h->end));
    return note_hash(rest) == h->value;
}

std::string stamp_note(std::string_view note_html) {
    if (note_html.empty())
        return {};
    std::string html;
    auto root = read_start_tag(note_html, 0);
    if (root && iequal(root->name, "div") && root->find(note_attr) && !root->find(hash_attr))
        html = note_html;
    else
        html = "<div data-sieve-note=\"1\">" + std::string(note_html) + "</div>";
    std::size_t at = html.find('<') + 4; // just past "<div"
    std::string stamp = " " + std::string(hash_attr) + "=\"" + note_hash(html) + "\"";
    html.insert(at, stamp);
    return html;
}

plan compute_plan(const judgment& j, const item_content& item, const plan_options& opts) {
    plan p;
    const std::string& prefix = opts.tag_prefix;
    std::vector<std::string> wanted = sieve_tags(j, prefix);
    std::vector<bool> present(wanted.size(), false);
    for (const auto& t : item.tags) {
        if (prefix.empty() || t.tag.compare(0, prefix.size(), prefix) != 0)
            continue;
        auto it = std::find(wanted.begin(), wanted.end(), t.tag);
        if (it != wanted.end())
            present[std::size_t(it - wanted.begin())] = true; // whatever its type: never retyped
        else if (t.type == opts.tag_type)
            p.remove_tags.push_back(t); // a stale Sieve tag
        // a prefixed tag of another type is the user's: never removed
    }
    for (std::size_t i = 0; i < wanted.size(); ++i)
        if (!present[i])
            p.add_tags.push_back({wanted[i], opts.tag_type});
    p.note = plan_note(j, item);
    return p;
}

plan compute_undo_plan(const item_content& item, const plan_options& opts) {
    plan p;
    const std::string& prefix = opts.tag_prefix;
    for (const auto& t : item.tags)
        if (!prefix.empty() && t.tag.compare(0, prefix.size(), prefix) == 0 &&
            t.type == opts.tag_type)
            p.remove_tags.push_back(t);
    if (const item_note* n = find_sieve_note(item)) {
        p.note.key = n->key;
        p.note.action = unedited(*n, item.written) ? note_action::erase : note_action::user_edited;
    }
    return p;
}

} // namespace sieve
