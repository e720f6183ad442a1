#include "classifier/criteria.hpp"
#include "classifier/ascii.hpp"
#include "classifier/hash.hpp"

#include "classifier/criteria_syntax.hpp"
#include "classifier/embedded.hpp"
#include "classifier/phrases.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>

namespace sieve {

std::string criteria_error::what() const {
    return line_no ? "line " + std::to_string(line_no) + ": " + message : message;
}

void throw_exception_from_error(const criteria_error& e, const boost::source_location&) {
    throw std::runtime_error(e.what());
}

namespace {

constexpr std::size_t max_topic_indent = 3; // a numbered line indented deeper is a list item

// 64-bit FNV-1a of the bytes as 16 lower-case hex digits.
std::string version_of(std::string_view bytes) { return hex64(fnv1a64(bytes)); }

bool label_is(const std::string& name, std::initializer_list<std::string_view> prefixes) {
    for (auto p : prefixes)
        if (name.compare(0, p.size(), p) == 0 && (name.size() == p.size() || name[p.size()] == ' '))
            return true;
    return false;
}

std::optional<line_kind> topic_label_kind(const std::string& n) {
    if (label_is(n, {"goal", "goals", "aim"}))
        return line_kind::topic_goal;
    if (label_is(n, {"irrelevant", "not relevant", "non-relevant", "nonrelevant", "exclude",
                     "excluded", "out of scope", "filter out", "avoid", "negative", "application",
                     "applications"}))
        return line_kind::topic_irrelevant;
    if (label_is(n, {"relevant", "include", "included", "in scope", "keep", "positive"}))
        return line_kind::topic_relevant;
    return std::nullopt;
}

std::optional<line_kind> keyword_label_kind(const std::string& n) {
    if (label_is(n, {"application", "applications", "application-driven"}))
        return line_kind::keywords_application;
    auto k = topic_label_kind(n);
    if (k == line_kind::topic_relevant)
        return line_kind::keywords_relevant;
    if (k == line_kind::topic_irrelevant)
        return line_kind::keywords_irrelevant;
    return std::nullopt;
}

using maybe_error = std::optional<criteria_error>;

// Line-by-line state machine over the file's sections (topics and the Keywords section).
class parser {
public:
    maybe_error line(std::size_t no, std::string_view raw);
    maybe_error finish();
    criteria take() { return std::move(c_); }

private:
    enum class section { none, topic, keywords };
    struct open_list { // a bullet that nested bullets inherit their kind from
        long indent;   // -1: a label written as its own line ("Relevant:")
        line_kind kind;
    };

    maybe_error heading(std::size_t no, const markdown_line& sh);
    maybe_error start_topic(std::size_t no, const markdown_line& sh);
    maybe_error close_topic();
    maybe_error bullet(std::size_t no, const markdown_line& sh);
    void prose(std::size_t no, const markdown_line& sh);
    void add_line(std::size_t no, line_kind kind, std::string_view text);

    criteria c_;
    section section_ = section::none;
    std::size_t topic_indent_ = 0;
    std::vector<std::size_t> topic_line_no_;
    bool topic_has_relevant_ = false;
    std::vector<open_list> lists_;
    std::optional<std::size_t> continued_; // criterion line a wrapped prose line continues
};

maybe_error parser::line(std::size_t no, std::string_view raw) {
    if (!valid_utf8(raw))
        return criteria_error{no, "text is not valid UTF-8"};
    const auto sh = read_markdown_line(raw);
    switch (sh.type) {
    case line_type::blank:
        continued_.reset();
        return std::nullopt;
    case line_type::heading:
        return heading(no, sh);
    case line_type::numbered: {
        const bool topic_level =
            sh.heading || (sh.indent <= max_topic_indent &&
                           (section_ != section::topic || sh.indent <= topic_indent_));
        return topic_level ? start_topic(no, sh) : bullet(no, sh);
    }
    case line_type::bullet:
        return bullet(no, sh);
    case line_type::prose:
        if (is_keywords_heading(sh.body))
            return heading(no, sh);
        prose(no, sh);
        return std::nullopt;
    }
    return std::nullopt;
}

maybe_error parser::heading(std::size_t, const markdown_line& sh) {
    if (auto e = close_topic())
        return e;
    section_ = is_keywords_heading(sh.body) ? section::keywords : section::none;
    lists_.clear();
    continued_.reset();
    return std::nullopt;
}

maybe_error parser::start_topic(std::size_t no, const markdown_line& sh) {
    if (auto e = close_topic())
        return e;
    if (sh.body.empty())
        return criteria_error{no, "topic " + std::to_string(sh.number) + " has no name"};
    const auto key = lower_ascii(sh.body);
    for (std::size_t t = 0; t < c_.topics.size(); ++t)
        if (lower_ascii(c_.topics[t].name) == key)
            return criteria_error{no, "duplicate topic name \"" + std::string(sh.body) +
                                          "\" (first on line " + std::to_string(topic_line_no_[t]) +
                                          ")"};
    c_.topics.push_back(topic{sh.number, std::string(sh.body), {}});
    topic_line_no_.push_back(no);
    section_ = section::topic;
    topic_indent_ = sh.indent;
    topic_has_relevant_ = false;
    lists_.clear();
    continued_.reset();
    return std::nullopt;
}

maybe_error parser::close_topic() {
    if (section_ != section::topic || topic_has_relevant_)
        return std::nullopt;
    const auto& t = c_.topics.back();
    return criteria_error{topic_line_no_.back(), "topic " + std::to_string(t.number) + " \"" +
                                                     t.name + "\" has no Relevant bullet"};
}

maybe_error parser::bullet(std::size_t no, const markdown_line& sh) {
    if (section_ == section::none)
        return criteria_error{no, "bullet outside any topic or Keywords section"};
    const auto indent = static_cast<long>(sh.indent);
    while (!lists_.empty() && lists_.back().indent >= indent)
        lists_.pop_back();
    const auto lab = read_label(sh.body);
    const bool in_topic = section_ == section::topic;
    std::optional<line_kind> kind;
    std::string_view text = sh.body;
    if (lab)
        kind = in_topic ? topic_label_kind(lab->name) : keyword_label_kind(lab->name);
    if (kind) {
        text = lab->rest;
    } else if (!lists_.empty()) {
        kind = lists_.back().kind;
    } else if (in_topic) {
        kind = line_kind::topic_filter;
        if (lab)
            text = lab->rest;
    } else {
        return criteria_error{no,
                              "keyword list without a Relevant, Irrelevant or Application label"};
    }
    lists_.push_back({indent, *kind});
    add_line(no, *kind, text);
    return std::nullopt;
}

// A known label written as a line ("Relevant: ...", or alone) opens a list; an indented line right
// after a bullet continues it; other prose is commentary and ends any open list.
void parser::prose(std::size_t no, const markdown_line& sh) {
    if (section_ != section::none) {
        const auto lab = read_label(sh.body);
        std::optional<line_kind> kind;
        if (lab)
            kind = section_ == section::topic ? topic_label_kind(lab->name)
                                              : keyword_label_kind(lab->name);
        if (kind) {
            lists_.assign(1, open_list{-1, *kind});
            add_line(no, *kind, lab->rest);
            return;
        }
    }
    if (continued_ && sh.indent > 0) {
        auto& l = c_.lines[*continued_];
        l.text += ' ';
        l.text += sh.body;
        return;
    }
    if (sh.indent == 0)
        lists_.clear();
    continued_.reset();
}

void parser::add_line(std::size_t no, line_kind kind, std::string_view text) {
    continued_.reset();
    if (text.empty())
        return;
    const bool in_topic = section_ == section::topic;
    criterion_line l;
    l.line_no = no;
    l.kind = kind;
    l.topic = in_topic ? static_cast<int>(c_.topics.size()) - 1 : -1;
    l.text = std::string(text);
    if (in_topic)
        c_.topics.back().lines.push_back(c_.lines.size());
    if (kind == line_kind::topic_relevant)
        topic_has_relevant_ = true;
    continued_ = c_.lines.size();
    c_.lines.push_back(std::move(l));
}

maybe_error parser::finish() {
    if (auto e = close_topic())
        return e;
    if (c_.topics.empty())
        return criteria_error{0, "no topics found (expected numbered topics such as "
                                 "\"1. Model Architecture\" with \"- Relevant:\" bullets)"};
    for (auto& l : c_.lines)
        l.phrases = extract_phrases(l.text);
    return std::nullopt;
}

} // namespace

boost::system::result<criteria, criteria_error> parse_criteria(std::string_view text) {
    const auto version = version_of(text);
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3); // byte order mark
    parser p;
    const auto lines = split_lines(text);
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (auto e = p.line(i + 1, lines[i]))
            return *e;
    if (auto e = p.finish())
        return *e;
    auto c = p.take();
    c.version = version;
    return c;
}

std::string_view default_criteria_text() {
    return embedded_seed_criteria();
}

} // namespace sieve
