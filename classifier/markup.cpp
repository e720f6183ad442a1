// strip_markup: tinyxml2 decides whether the fragment is well-formed XML; one scanner then walks
// the source, treating every '<' as markup (well-formed) or only recognisable tags (otherwise),
// and records for each output byte the source offset it came from.
#include "classifier/markup.hpp"

#include "classifier/ascii.hpp"
#include "classifier/markup_entities.hpp"

#include <tinyxml2.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <numeric>

namespace sieve {

namespace {

using markup_detail::decode_reference;

// Elements whose boundaries separate words (compared by local name, without any "jats:" prefix).
constexpr std::array<std::string_view, 30> block_elements = {
    "abstract", "article", "blockquote", "br",        "caption", "dd", "div", "dl",
    "dt",       "h1",      "h2",         "h3",        "h4",      "h5", "h6",  "hr",
    "label",    "li",      "list",       "list-item", "ol",      "p",  "sec", "section",
    "table",    "td",      "th",         "title",     "tr",      "ul"};

// Inline elements recognised as markup even when the fragment is not well-formed XML.
constexpr std::array<std::string_view, 34> inline_elements = {"a",
                                                              "abbr",
                                                              "b",
                                                              "big",
                                                              "bold",
                                                              "cite",
                                                              "code",
                                                              "disp-formula",
                                                              "em",
                                                              "email",
                                                              "ext-link",
                                                              "font",
                                                              "i",
                                                              "img",
                                                              "inline-formula",
                                                              "italic",
                                                              "kbd",
                                                              "math",
                                                              "mark",
                                                              "monospace",
                                                              "named-content",
                                                              "q",
                                                              "s",
                                                              "sc",
                                                              "small",
                                                              "span",
                                                              "strike",
                                                              "strong",
                                                              "styled-content",
                                                              "sub",
                                                              "sup",
                                                              "tex-math",
                                                              "u",
                                                              "xref"};

constexpr char32_t replacement_char = 0xFFFD;

bool is_space(unsigned char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
}
bool is_name_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_name_char(char c) {
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == ':';
}


std::string_view local_name(std::string_view name) {
    const auto colon = name.rfind(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool listed(std::string_view name, const auto& list) {
    return std::find(list.begin(), list.end(), name) != list.end();
}

// Length of a valid UTF-8 sequence at s[i] (1..4), or 0 when the bytes there are not valid UTF-8.
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80)
        return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF)
        n = 2;
    else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 3;
        if (b0 == 0xE0)
            lo = 0xA0;
        if (b0 == 0xED)
            hi = 0x9F; // no surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 4;
        if (b0 == 0xF0)
            lo = 0x90;
        if (b0 == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (i + n > s.size())
        return 0;
    for (std::size_t k = 1; k < n; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF))
            return 0;
    }
    return n;
}

// Builds the output: collapses whitespace, trims, keeps the offset map.
class emitter {
public:
    explicit emitter(std::size_t reserve) {
        out_.text.reserve(reserve);
        out_.source_offset.reserve(reserve + 1);
    }
    void space(std::size_t at) {
        if (!pending_space_)
            space_at_ = at;
        pending_space_ = true;
    }
    void byte(char c, std::size_t at) {
        flush_space();
        push(c, at);
    }
    // Source bytes [from, to) copied verbatim (no whitespace, markup or non-ASCII among them).
    void run(std::string_view src, std::size_t from, std::size_t to) {
        flush_space();
        out_.text.append(src.substr(from, to - from));
        const std::size_t old = out_.source_offset.size();
        out_.source_offset.resize(old + (to - from));
        std::iota(out_.source_offset.begin() + static_cast<std::ptrdiff_t>(old),
                  out_.source_offset.end(), static_cast<std::uint32_t>(from));
    }
    void code_point(char32_t cp, std::size_t at) {
        if (cp == 0xA0 || (cp < 0x80 && is_space(static_cast<unsigned char>(cp))))
            return space(at);
        flush_space();
        if (cp < 0x80)
            return push(static_cast<char>(cp), at);
        char buf[4];
        std::size_t n = 0;
        if (cp < 0x800) {
            buf[n++] = static_cast<char>(0xC0 | (cp >> 6));
        } else if (cp < 0x10000) {
            buf[n++] = static_cast<char>(0xE0 | (cp >> 12));
            buf[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        } else {
            buf[n++] = static_cast<char>(0xF0 | (cp >> 18));
            buf[n++] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            buf[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        }
        buf[n++] = static_cast<char>(0x80 | (cp & 0x3F));
        for (std::size_t k = 0; k < n; ++k)
            push(buf[k], at);
    }
    mapped_text finish(std::size_t source_size) && {
        out_.source_offset.push_back(static_cast<std::uint32_t>(source_size));
        return std::move(out_);
    }

private:
    void push(char c, std::size_t at) {
        out_.text.push_back(c);
        out_.source_offset.push_back(static_cast<std::uint32_t>(at));
    }
    void flush_space() {
        if (pending_space_ && !out_.text.empty())
            push(' ', space_at_);
        pending_space_ = false;
    }

    mapped_text out_;
    bool pending_space_ = false;
    std::size_t space_at_ = 0;
};

// Walks the source once. `trust_tags`: every '<' starts markup (the fragment is well-formed XML).
class scanner {
public:
    scanner(std::string_view src, bool trust_tags)
        : src_(src), trust_tags_(trust_tags), out_(src.size()) {}

    mapped_text run() && {
        while (pos_ < src_.size()) {
            if (const std::size_t end = plain_run_end(); end > pos_) {
                out_.run(src_, pos_, end);
                pos_ = end;
                continue;
            }
            const char c = src_[pos_];
            if (c == '<' && markup())
                continue;
            if (c == '&' && reference())
                continue;
            text_char();
        }
        return std::move(out_).finish(src_.size());
    }

private:
    // End of the run of printable ASCII at pos_ that needs no attention (no space, '<' or '&').
    std::size_t plain_run_end() const {
        std::size_t i = pos_;
        while (i < src_.size()) {
            const char c = src_[i];
            if (c <= ' ' || c > '~' || c == '<' || c == '&')
                break;
            ++i;
        }
        return i;
    }

    // Plain text: one character (or one invalid byte, replaced) at pos_.
    void text_char() {
        const auto b = static_cast<unsigned char>(src_[pos_]);
        if (is_space(b)) {
            out_.space(pos_++);
            return;
        }
        const std::size_t n = utf8_length(src_, pos_);
        if (n == 0) {
            out_.code_point(replacement_char, pos_++);
            return;
        }
        if (n == 2 && b == 0xC2 && static_cast<unsigned char>(src_[pos_ + 1]) == 0xA0) {
            out_.space(pos_); // raw no-break space counts as whitespace
        } else {
            for (std::size_t k = 0; k < n; ++k)
                out_.byte(src_[pos_ + k], pos_ + k);
        }
        pos_ += n;
    }

    bool reference() {
        std::size_t length = 0;
        const long cp = decode_reference(src_.substr(pos_), length);
        if (cp < 0)
            return false;
        out_.code_point(static_cast<char32_t>(cp), pos_);
        pos_ += length;
        return true;
    }

    // At '<': consumes a comment, CDATA section, processing instruction, declaration or tag.
    // Returns false (nothing consumed) when this '<' is to be read as text.
    bool markup() {
        const std::string_view rest = src_.substr(pos_);
        if (rest.starts_with("<!--"))
            return skip_past("-->", 4);
        if (rest.starts_with("<![CDATA["))
            return cdata();
        if (rest.starts_with("<?"))
            return skip_past("?>", 2);
        if (rest.starts_with("<!") && rest.size() > 2 && is_name_start(rest[2]))
            return skip_past(">", 2);
        return tag();
    }

    bool skip_past(std::string_view terminator, std::size_t from) {
        const auto end = src_.find(terminator, pos_ + from);
        if (end == std::string_view::npos)
            return false;
        pos_ = end + terminator.size();
        return true;
    }

    bool cdata() {
        const std::size_t start = pos_ + 9;
        const auto end = src_.find("]]>", start);
        if (end == std::string_view::npos)
            return false;
        pos_ = start;
        while (pos_ < end)
            text_char();
        pos_ = end + 3;
        return true;
    }

    // "<name ...>", "</name>", "<name/>": a block element becomes a space, others vanish.
    bool tag() {
        std::size_t i = pos_ + 1;
        if (i < src_.size() && src_[i] == '/')
            ++i;
        if (i >= src_.size() || !is_name_start(src_[i]))
            return false;
        const std::size_t name_start = i;
        while (i < src_.size() && is_name_char(src_[i]))
            ++i;
        const std::string name = lower_ascii(src_.substr(name_start, i - name_start));
        const std::string_view local = local_name(name);
        const bool block = listed(local, block_elements);
        const bool known = block || listed(local, inline_elements) || local.size() < name.size();
        if (!trust_tags_ && !known)
            return false;
        const std::size_t end = tag_end(i);
        if (end == std::string_view::npos)
            return false;
        if (block)
            out_.space(pos_);
        pos_ = end + 1;
        return true;
    }

    // Offset of the '>' closing the tag whose name ends before i; quoted values may hold '>'.
    // npos when there is none, or (untrusted) when a '<' or a name-less oddity comes first.
    std::size_t tag_end(std::size_t i) const {
        if (i < src_.size() && !is_space(static_cast<unsigned char>(src_[i])) && src_[i] != '>' &&
            src_[i] != '/')
            return std::string_view::npos;
        char quote = 0;
        for (; i < src_.size(); ++i) {
            const char c = src_[i];
            if (quote) {
                if (c == quote)
                    quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return i;
            } else if (c == '<' && !trust_tags_) {
                return std::string_view::npos;
            }
        }
        return std::string_view::npos;
    }

    std::string_view src_;
    bool trust_tags_;
    emitter out_;
    std::size_t pos_ = 0;
};

// True when the fragment, wrapped in one root element, parses as XML.
bool well_formed_xml(std::string_view source) {
    std::string wrapped;
    wrapped.reserve(source.size() + 16);
    wrapped.append("<sieve-root>").append(source).append("</sieve-root>");
    tinyxml2::XMLDocument doc(false, tinyxml2::PRESERVE_WHITESPACE);
    return doc.Parse(wrapped.data(), wrapped.size()) == tinyxml2::XML_SUCCESS;
}

} // namespace

mapped_text strip_markup(std::string_view source) {
    // The offsets are 32-bit: cut absurdly large inputs (metadata fields are far smaller).
    const std::size_t limit = 0xFFFFFFF0u;
    if (source.size() > limit)
        source = source.substr(0, limit);
    const bool has_tags = source.find('<') != std::string_view::npos;
    const bool trust_tags = has_tags && well_formed_xml(source);
    return scanner(source, trust_tags).run();
}

} // namespace sieve
