#include "connector/wire/report_data.hpp"

#include "classifier/markup.hpp"
#include "classifier/xml_text.hpp"
#include "connector/wire/report_input.hpp"

#include <algorithm>
#include <array>
#include <ctime>
#include <map>

namespace sieve {

namespace json = boost::json;

namespace {

constexpr std::array<verdict, 3> verdicts{verdict::relevant, verdict::application,
                                          verdict::irrelevant};
constexpr std::string_view no_topic = "(no topic)";

using counts = std::array<std::int64_t, 3>; // per verdict, in `verdicts` order

std::size_t slot(verdict v) {
    return static_cast<std::size_t>(v);
}

// {<label key>: value, "relevant": n, "application": n, "irrelevant": n}
json::object count_row(std::string_view key, json::value label, const counts& c) {
    json::object row{{key, std::move(label)}};
    for (verdict v : verdicts)
        row[to_string(v)] = c[slot(v)];
    return row;
}

// The criteria's topics first (in file order), then any other topic a judgment names (judgments
// made with older criteria), then items without a topic.
std::vector<std::string> topic_order(const std::vector<report_item>& items, const report_context& c,
                                     bool& untopical) {
    std::vector<std::string> order = c.topics;
    std::map<std::string, bool> known;
    for (const auto& t : order)
        known[t] = true;
    untopical = false;
    for (const auto& it : items) {
        untopical = untopical || it.topics.empty();
        for (const auto& t : it.topics)
            if (known.emplace(t, true).second)
                order.push_back(t);
    }
    return order;
}

json::array topic_rows(const std::vector<report_item>& items, const report_context& c) {
    bool untopical = false;
    std::vector<std::string> order = topic_order(items, c, untopical);
    std::map<std::string, counts> by_topic;
    counts none{};
    for (const auto& it : items) {
        for (const auto& t : it.topics)
            ++by_topic[t][slot(it.label)];
        if (it.topics.empty())
            ++none[slot(it.label)];
    }
    json::array rows;
    for (const auto& t : order)
        rows.push_back(count_row("topic", json::value(t), by_topic[t]));
    if (untopical)
        rows.push_back(count_row("topic", json::value(no_topic), none));
    return rows;
}

json::array score_rows(const std::vector<report_item>& items) {
    std::array<counts, 10> by_score{};
    for (const auto& it : items)
        ++by_score[static_cast<std::size_t>(std::clamp(it.score, 1, 10) - 1)][slot(it.label)];
    json::array rows;
    for (std::size_t s = 0; s < by_score.size(); ++s)
        rows.push_back(
            count_row("score", json::value(static_cast<std::int64_t>(s + 1)), by_score[s]));
    return rows;
}

// "YYYY-MM" of a date, or empty.
std::string month_of(std::string_view date) {
    if (date.size() < 7 || date[4] != '-')
        return {};
    for (std::size_t i : {0, 1, 2, 3, 5, 6})
        if (date[i] < '0' || date[i] > '9')
            return {};
    if (date.substr(5, 2) < "01" || date.substr(5, 2) > "12")
        return {};
    return std::string(date.substr(0, 7));
}

std::string next_month(const std::string& m) {
    int y = std::stoi(m.substr(0, 4)), mo = std::stoi(m.substr(5, 2)) + 1;
    if (mo == 13) {
        mo = 1;
        ++y;
    }
    char buf[32]; // room for any int, so the compiler sees no truncation
    std::snprintf(buf, sizeof buf, "%04d-%02d", y, mo);
    return buf;
}

// Every month from the first to the last item added (months without items count zero).
json::object month_rows(const std::vector<report_item>& items) {
    std::map<std::string, counts> by_month;
    std::int64_t undated = 0;
    for (const auto& it : items) {
        std::string m = month_of(it.date_added);
        if (m.empty())
            ++undated;
        else
            ++by_month[m][slot(it.label)];
    }
    json::array rows;
    if (!by_month.empty())
        for (std::string m = by_month.begin()->first; m <= by_month.rbegin()->first;
             m = next_month(m))
            rows.push_back(count_row("month", json::value(m), by_month[m]));
    return {{"rows", std::move(rows)}, {"undated", undated}};
}

json::object field_rows(const std::vector<report_item>& items) {
    std::map<std::string, std::int64_t> by_field;
    std::int64_t unnamed = 0;
    for (const auto& it : items)
        if (it.label == verdict::application) {
            if (it.field.empty())
                ++unnamed;
            else
                ++by_field[it.field];
        }
    std::vector<std::pair<std::string, std::int64_t>> sorted(by_field.begin(), by_field.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    json::array rows;
    std::int64_t other = 0;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (i < report_field_limit)
            rows.push_back(json::object{{"field", sorted[i].first}, {"items", sorted[i].second}});
        else
            other += sorted[i].second;
    }
    return {{"named", !sorted.empty()},
            {"rows", std::move(rows)},
            {"other", other},
            {"unnamed", unnamed}};
}

json::object listed(const report_item& it) {
    std::string reason = it.reason.empty() ? note_reason(it.note_html) : xml_safe(it.reason, 400);
    std::string title = xml_safe(strip_markup(it.title).text, 300);
    return {{"title", title.empty() ? it.id : title},
            {"link", it.link},
            {"score", it.score},
            {"confidence", it.confidence},
            {"reason", std::move(reason)},
            {"date_added", it.date_added}};
}

bool read_first(const report_item* a, const report_item* b) {
    if (a->score != b->score)
        return a->score > b->score;
    if (a->confidence != b->confidence)
        return a->confidence > b->confidence;
    if (a->date_added != b->date_added)
        return a->date_added > b->date_added; // the newest first
    return a->id < b->id;
}

// Per topic: the relevant items neither opened nor tagged as read, best first, at most
// report_list_limit of them.
json::array reading_lists(const std::vector<report_item>& items, const report_context& c) {
    bool untopical = false;
    std::vector<std::string> order = topic_order(items, c, untopical);
    std::map<std::string, std::vector<const report_item*>> unread;
    std::map<std::string, std::int64_t> relevant;
    for (const auto& it : items) {
        if (it.label != verdict::relevant)
            continue;
        std::vector<std::string> topics = it.topics;
        if (topics.empty())
            topics.emplace_back(no_topic);
        for (const auto& t : topics) {
            ++relevant[t];
            if (!it.opened && !it.tagged_read)
                unread[t].push_back(&it);
        }
    }
    if (relevant.count(std::string(no_topic)))
        order.emplace_back(no_topic);
    json::array out;
    for (const auto& t : order) {
        auto& list = unread[t];
        const std::size_t n = std::min(list.size(), report_list_limit);
        std::partial_sort(list.begin(), list.begin() + std::ptrdiff_t(n), list.end(), read_first);
        json::array shown;
        for (std::size_t i = 0; i < n; ++i)
            shown.push_back(listed(*list[i]));
        out.push_back(json::object{{"topic", t},
                                   {"relevant", relevant[t]},
                                   {"unread", static_cast<std::int64_t>(list.size())},
                                   {"items", std::move(shown)}});
    }
    return out;
}

json::object meta(const std::vector<report_item>& items, const report_context& c) {
    json::array topics;
    for (const auto& t : c.topics)
        topics.emplace_back(t);
    return {{"title", c.title},
            {"source", c.source},
            {"sieve_version", c.sieve_version},
            {"model_version", c.model_version},
            {"criteria_version", c.criteria_version},
            {"criteria_topics", std::move(topics)},
            {"generated_at", iso_utc(c.generated_at)},
            {"items", static_cast<std::int64_t>(items.size())},
            {"from_cache", static_cast<std::int64_t>(c.from_cache)},
            {"judged_now", static_cast<std::int64_t>(c.judged_now)},
            {"reading_known", c.reading_known},
            {"list_limit", static_cast<std::int64_t>(report_list_limit)}};
}

// Who judged how many items, and the first and last time a judgment was made.
void judges_and_dates(const std::vector<report_item>& items, json::object& out) {
    std::map<std::string, std::int64_t> judges;
    std::int64_t first = 0, last = 0, unknown = 0;
    for (const auto& it : items) {
        ++judges[it.judge.empty() ? std::string("unknown") : it.judge];
        if (it.judged_at <= 0) {
            ++unknown;
            continue;
        }
        first = first ? std::min(first, it.judged_at) : it.judged_at;
        last = std::max(last, it.judged_at);
    }
    json::array rows;
    for (const auto& [judge, n] : judges)
        rows.push_back(json::object{{"judge", judge}, {"items", n}});
    out["judges"] = std::move(rows);
    out["judged"] = json::object{{"first", first ? json::value(iso_utc(first)) : nullptr},
                                 {"last", last ? json::value(iso_utc(last)) : nullptr},
                                 {"unknown", unknown}};
}

} // namespace

std::string iso_utc(std::int64_t unix_seconds) {
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

json::object build_report_data(const std::vector<report_item>& items, const report_context& c) {
    counts totals{};
    for (const auto& it : items)
        ++totals[slot(it.label)];
    json::object out;
    out["meta"] = meta(items, c);
    out["totals"] =
        count_row("items", json::value(static_cast<std::int64_t>(items.size())), totals);
    out["topics"] = topic_rows(items, c);
    out["scores"] = score_rows(items);
    out["months"] = month_rows(items);
    out["fields"] = field_rows(items);
    out["reading"] = reading_lists(items, c);
    judges_and_dates(items, out);
    return out;
}

} // namespace sieve
