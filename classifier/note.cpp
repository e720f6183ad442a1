#include "classifier/note.hpp"

#include "classifier/text.hpp"
#include "classifier/xml_text.hpp"

#include <algorithm>
#include <cstdio>

namespace sieve {

namespace {

constexpr std::size_t max_quote_bytes = 200;  // longer quotes and criterion lines are clipped
constexpr std::size_t max_evidence_items = 5; // the list shows the first few distinct quotes
constexpr std::size_t max_why_lines = 2;      // criterion lines quoted in the "why" paragraph
constexpr std::size_t max_line_words = 14;    // words of a criterion line quoted there

std::string_view verdict_title(verdict v) {
    switch (v) {
    case verdict::relevant:
        return "Relevant";
    case verdict::application:
        return "Application";
    case verdict::irrelevant:
        return "Irrelevant";
    }
    return "Irrelevant";
}

std::string_view kind_label(line_kind k) {
    switch (k) {
    case line_kind::topic_goal:
        return "Goal";
    case line_kind::topic_relevant:
    case line_kind::keywords_relevant:
        return "Relevant";
    case line_kind::topic_irrelevant:
    case line_kind::keywords_irrelevant:
        return "Irrelevant";
    case line_kind::topic_filter:
        return "Judging criteria";
    case line_kind::keywords_application:
        return "Application";
    }
    return "";
}

const criterion_line* line_of(const criteria& c, std::size_t index) {
    return index < c.lines.size() ? &c.lines[index] : nullptr;
}

const topic* topic_of(const criteria& c, const criterion_line& l) {
    return l.topic >= 0 && static_cast<std::size_t>(l.topic) < c.topics.size()
               ? &c.topics[static_cast<std::size_t>(l.topic)]
               : nullptr;
}

// "Topic 2 Model Compression and Efficiency — Relevant, line 10" or "Keywords — Application, line
// 51".
std::string describe(const criteria& c, std::size_t index) {
    const auto* l = line_of(c, index);
    if (!l)
        return "a criterion no longer in the criteria file";
    std::string out;
    if (const auto* t = topic_of(c, *l))
        out = "Topic " + std::to_string(t->number) + " " + t->name;
    else
        out = "Keywords";
    out += " \u2014 ";
    out += kind_label(l->kind);
    return out + ", line " + std::to_string(l->line_no);
}

std::vector<std::string> terms_of(std::string_view text) {
    std::vector<std::string> out;
    for (auto& t : tokenize(text))
        out.push_back(std::move(t.term));
    return out;
}

// The phrase of line l that the quote matched (compared as stemmed terms); else the quote.
std::string matched_phrase(const criterion_line& l, std::string_view quote) {
    const auto q = terms_of(quote);
    for (const auto& p : l.phrases)
        for (const auto& a : p.aliases) {
            const auto t = terms_of(a);
            if (!t.empty() && std::search(q.begin(), q.end(), t.begin(), t.end()) != q.end())
                return p.text;
        }
    return std::string(quote);
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (const auto& s : parts) {
        if (!out.empty())
            out += sep;
        out += s;
    }
    return out;
}

bool kind_in(line_kind k, std::initializer_list<line_kind> kinds) {
    return std::find(kinds.begin(), kinds.end(), k) != kinds.end();
}

// Distinct criterion lines of the evidence whose kind is one of `kinds`, in evidence order.
std::vector<std::size_t> lines_with(const judgment& j, const criteria& c,
                                    std::initializer_list<line_kind> kinds) {
    std::vector<std::size_t> out;
    for (const auto& e : j.evidence) {
        const auto* l = line_of(c, e.criterion);
        if (l && kind_in(l->kind, kinds) &&
            std::find(out.begin(), out.end(), e.criterion) == out.end())
            out.push_back(e.criterion);
    }
    return out;
}

// The first `words` words of a criterion line ("…" when cut).
std::string clipped_line(std::string_view text, std::size_t words) {
    std::size_t n = 0, i = 0;
    for (; i < text.size(); ++i)
        if (text[i] == ' ' && i > 0 && text[i - 1] != ' ' && ++n == words) break;
    auto out = xml_safe(text.substr(0, i), max_quote_bytes);
    if (i < text.size() && !out.ends_with("\u2026")) out += " \u2026";
    return out;
}

// " It fits <criterion>: “<line text>”." for the first few lines.
std::string quote_lines(const criteria& c, const std::vector<std::size_t>& ls,
                        std::string_view verb) {
    std::string out;
    for (std::size_t i = 0; i < ls.size() && i < max_why_lines; ++i) {
        const auto text = clipped_line(c.lines[ls[i]].text, max_line_words);
        const bool closed = !text.empty() && (text.back() == '.' || text.back() == '?' ||
                                              text.back() == '!' || text.ends_with("\u2026"));
        out += " It ";
        out += verb;
        out += ' ';
        out += describe(c, ls[i]);
        out += ": \u201c";
        out += text;
        out += closed ? "\u201d" : "\u201d.";
    }
    return out;
}

// " It names <what>: A, B (Keywords — Application, line 51)." for keyword-list evidence.
std::string keyword_names(const judgment& j, const criteria& c, line_kind kind,
                          std::string_view what) {
    std::vector<std::string> names;
    std::size_t first_line = c.lines.size();
    for (const auto& e : j.evidence) {
        const auto* l = line_of(c, e.criterion);
        if (!l || l->kind != kind)
            continue;
        auto name = xml_safe(matched_phrase(*l, e.quote), max_quote_bytes);
        if (std::find(names.begin(), names.end(), name) == names.end())
            names.push_back(std::move(name));
        first_line = std::min(first_line, e.criterion);
    }
    if (names.empty())
        return {};
    return std::string(" It names ") + std::string(what) + ": " + join(names, ", ") + " (" +
           describe(c, first_line) + ").";
}

// Index of the first line of `kind` (of topic `topic` when >= 0); lines.size() when none.
std::size_t first_line(const criteria& c, line_kind kind, int topic = -1) {
    for (std::size_t i = 0; i < c.lines.size(); ++i)
        if (c.lines[i].kind == kind && (topic < 0 || c.lines[i].topic == topic)) return i;
    return c.lines.size();
}

int topic_index(const criteria& c, const std::string& name) {
    for (std::size_t t = 0; t < c.topics.size(); ++t)
        if (c.topics[t].name == name) return int(t);
    return -1;
}

// " (criterion: <line>)" naming the line the model's judgment was measured against, or "".
std::string criterion_named(const criteria& c, std::size_t line) {
    return line < c.lines.size() ? " (criterion: " + describe(c, line) + ")" : std::string();
}

// "lines 7, 10, 13" - the first Relevant line of every topic.
std::string topic_relevant_lines(const criteria& c) {
    std::string out;
    for (std::size_t t = 0; t < c.topics.size(); ++t) {
        auto l = first_line(c, line_kind::topic_relevant, int(t));
        if (l == c.lines.size()) continue;
        out += out.empty() ? "lines " : ", ";
        out += std::to_string(c.lines[l].line_no);
    }
    return out;
}

bool from_model(const judgment& j) {
    return std::any_of(j.evidence.begin(), j.evidence.end(),
                       [](const evidence& e) { return !e.supports.empty(); });
}

constexpr auto relevant_kinds = {line_kind::topic_relevant, line_kind::keywords_relevant,
                                 line_kind::topic_goal};

std::string why_relevant(const judgment& j, const criteria& c) {
    std::string s = "Foundational work";
    if (!j.topics.empty())
        s += " on " + join(j.topics, " and ");
    s += ".";
    const auto ls = lines_with(j, c, relevant_kinds);
    if (ls.empty()) {
        int t = j.topics.empty() ? 0 : topic_index(c, j.topics.front());
        return s + " No phrase of its text stands out; the model's overall score puts it "
                   "within your topics" +
               criterion_named(c, first_line(c, line_kind::topic_relevant, std::max(t, 0))) + ".";
    }
    s += quote_lines(c, ls, "fits");
    if (from_model(j)) s += " Quoted: the phrases that weighed most for this in the model.";
    return s;
}

std::string why_application(const judgment& j, const criteria& c) {
    std::string s = "Applies machine learning to ";
    s += j.field.empty() ? "a domain task" : j.field;
    s += " rather than advancing your topics";
    s += j.topics.empty() ? "." : "; it touches " + join(j.topics, " and ") + ".";
    s += keyword_names(j, c, line_kind::keywords_application, "Application keywords");
    s += quote_lines(c, lines_with(j, c, {line_kind::topic_irrelevant}), "fits");
    if (from_model(j))
        s += " Quoted: the words that show its field and weighed most for Application.";
    else if (j.evidence.empty())
        s += " No phrase of its text stands out; the model's overall score decided" +
             criterion_named(c, first_line(c, line_kind::keywords_application)) + ".";
    return s;
}

std::string why_irrelevant(const judgment& j, const criteria& c) {
    const auto names = keyword_names(j, c, line_kind::keywords_irrelevant, "Irrelevant keywords");
    std::string s;
    if (!names.empty()) {
        s = "Outside your topics: in an area your criteria exclude." + names;
    } else if (j.outside_ml) {
        s = "Outside machine learning altogether: ";
        s += j.field.empty() ? "nothing in it reads as machine learning." : "a paper in " + j.field + ".";
    } else {
        s = "Machine-learning work outside your topics";
        s += j.field.empty() ? ": " : " (" + j.field + "): ";
        const auto lines = topic_relevant_lines(c);
        s += !j.topics.empty() ? "it touches " + join(j.topics, " and ") +
                                     ", but the model does not weigh it as foundational work."
                               : "it fits no topic's Relevant criteria" +
                                     (lines.empty() ? "" : " (" + lines + ")") + ".";
    }
    if (from_model(j))
        s += j.outside_ml && names.empty()
                 ? " Quoted: the words that show its field and weighed against machine learning."
                 : " Quoted: what weighed most against Relevant.";
    return s;
}

std::string why(const judgment& j, const criteria& c) {
    switch (j.label) {
    case verdict::relevant:
        return why_relevant(j, c);
    case verdict::application:
        return why_application(j, c);
    case verdict::irrelevant:
        break;
    }
    return why_irrelevant(j, c);
}

std::string thin_reason(const paper& p) {
    const bool no_abstract = std::all_of(p.abstract.begin(), p.abstract.end(), [](char ch) {
        return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
    });
    if (no_abstract)
        return "No abstract: judged from the title alone (its words as the model weighs them and "
               "any criteria phrase in it); confidence lowered.";
    token_stats st;
    tokenize(p.title, &st);
    tokenize(p.abstract, &st);
    if (looks_non_english(st) || (st.words > 0 && st.latin * 2 < st.words))
        return "Its text does not read as English: judged from the words the model knows and "
               "the criteria phrases found in it; confidence lowered.";
    return "A very short abstract: judged mostly from the title; confidence lowered.";
}

// What an evidence span shows, after its quote in the list.
std::string role_of(const evidence& e, const criteria& c) {
    const bool line = e.criterion < c.lines.size();
    std::string r;
    if (e.supports.starts_with("field:"))
        r = "shows the field " + e.supports.substr(6);
    else if (e.supports == "meta:ml")
        r = "weighed against machine learning";
    else if (e.supports == "meta:application")
        r = "weighed toward Application";
    else if (e.supports == "meta:relevant" && e.weight < 0)
        r = "weighed against Relevant";
    else if (!line && !e.supports.empty())
        r = "weighed toward Relevant";
    if (!line) return r.empty() ? describe(c, e.criterion) : r;
    return r.empty() ? describe(c, e.criterion) : r + "; " + describe(c, e.criterion);
}

std::string footer(const judgment& j, const criteria& c) {
    char conf[32];
    std::snprintf(conf, sizeof conf, "%.2f", j.confidence);
    std::string s = "Score " + std::to_string(j.score) + "/10 \u00b7 confidence " + conf;
    if (!j.judge.empty())
        s += " \u00b7 judged by " + j.judge;
    if (!c.version.empty())
        s += " \u00b7 criteria " + c.version;
    return s;
}

// The XHTML as tinyxml2's compact printer wrote it: '&', '<', '>' escaped, empty elements "<x/>".
class note_writer {
public:
    note_writer() { out_ = "<div data-sieve-note=\"1\">"; }

    void add(std::string_view tag, std::string_view text) {
        if (text.empty()) {
            out_.append("<").append(tag).append("/>");
            return;
        }
        out_.append("<").append(tag).append(">");
        escaped(xml_safe(text));
        out_.append("</").append(tag).append(">");
    }

    // <p><strong>lead</strong> text</p>
    void paragraph(std::string_view lead, std::string_view text) {
        out_ += "<p>";
        if (!lead.empty())
            add("strong", lead);
        std::string body = lead.empty() ? std::string() : std::string(" ");
        body += text;
        escaped(xml_safe(body));
        out_ += "</p>";
    }

    void evidence_list(const judgment& j, const criteria& c) {
        std::vector<std::string> seen;
        for (const auto& e : j.evidence) {
            auto item = "\u201c" + xml_safe(e.quote, max_quote_bytes) + "\u201d (" +
                        xml_safe(e.field) + ") \u2014 " + role_of(e, c);
            if (std::find(seen.begin(), seen.end(), item) != seen.end())
                continue;
            if (seen.size() == max_evidence_items)
                break;
            if (seen.empty())
                out_ += "<p><strong>Evidence</strong></p><ul>";
            add("li", item);
            seen.push_back(std::move(item));
        }
        if (!seen.empty())
            out_ += "</ul>";
    }

    std::string str() { return out_ + "</div>"; }

private:
    void escaped(std::string_view text) {
        std::size_t from = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char ch = text[i];
            if (ch != '&' && ch != '<' && ch != '>')
                continue;
            out_.append(text.substr(from, i - from));
            out_ += ch == '&' ? "&amp;" : ch == '<' ? "&lt;" : "&gt;";
            from = i + 1;
        }
        out_.append(text.substr(from));
    }

    std::string out_;
};

} // namespace

std::string build_note(const judgment& j, const criteria& c, const paper& p) {
    note_writer w;
    std::string title = "Sieve: " + std::string(verdict_title(j.label));
    if (!j.topics.empty())
        title += " \u2014 " + join(j.topics, ", ");
    w.add("h2", title);
    w.paragraph("Why:", j.reason.empty() ? why(j, c) : j.reason);
    if (j.thin_evidence)
        w.paragraph("Thin evidence:", thin_reason(p));
    w.evidence_list(j, c);
    w.paragraph("", footer(j, c));
    return w.str();
}

} // namespace sieve
