// POST /v1/feedback (the user's corrections) and GET / PUT /v1/criteria (hot reload).
#include "connector/http/api.hpp"

#include "classifier/embedded.hpp"
#include "connector/wire/json_check.hpp"
#include "connector/llm/llm_judge.hpp"
#include "connector/state/state_dir.hpp"
#include "connector/wire/input_limits.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <limits>

namespace sieve {

namespace http = boost::beast::http;
namespace json = boost::json;
using jcheck::member;

namespace {

using jcheck::checked;

std::optional<jcheck::error> optional_string(const json::object& o, std::string_view key,
                                             std::string& out) {
    const json::value* v = o.if_contains(key);
    if (!v)
        return std::nullopt;
    auto s = jcheck::string(*v, std::string(key));
    if (!s)
        return s.error();
    out = std::move(*s);
    return std::nullopt;
}

std::optional<jcheck::error> parse_item_identity(const json::object& o, feedback_entry& f) {
    if (o.contains("libraryID") != o.contains("key"))
        return jcheck::error{"", "libraryID and key go together"};
    if (!o.contains("libraryID") && !o.contains("id"))
        return jcheck::error{"", "name the item: libraryID and key, or id"};
    if (o.contains("libraryID")) {
        auto lib = jcheck::integer(o.at("libraryID"), "libraryID", 1,
                                   std::numeric_limits<std::int64_t>::max());
        if (!lib)
            return lib.error();
        auto key = jcheck::string(o.at("key"), "key", 1);
        if (!key)
            return key.error();
        f.library_id = *lib;
        f.item_key = std::move(*key);
    }
    return optional_string(o, "id", f.item_id);
}

// schema/api/feedback.request.schema.json
checked<feedback_entry> parse_feedback(const json::value& body) {
    auto o = jcheck::object(
        body, "", {"libraryID", "key", "id", "verdict", "topics", "comment", "title", "abstract"},
        {"verdict"});
    if (!o)
        return o.error();
    feedback_entry f;
    if (auto e = parse_item_identity(**o, f))
        return *e;
    auto v = jcheck::string((*o)->at("verdict"), "verdict");
    if (!v)
        return v.error();
    if (!verdict_from_string(*v))
        return jcheck::error{"verdict", "expected relevant, application or irrelevant"};
    f.verdict = std::move(*v);
    if (const json::value* t = (*o)->if_contains("topics")) {
        auto a = jcheck::array(*t, "topics", 100);
        if (!a)
            return a.error();
        for (std::size_t i = 0; i < (*a)->size(); ++i) {
            auto s = jcheck::string((**a)[i], jcheck::element("topics", i), 1);
            if (!s)
                return s.error();
            f.topics.push_back(std::move(*s));
        }
    }
    for (auto [k, out] : {std::pair{"comment", &f.comment}, std::pair{"title", &f.title},
                          std::pair{"abstract", &f.abstract}})
        if (auto e = optional_string(**o, k, *out))
            return *e;
    return f;
}

json::array topic_names(const classifier& clf) {
    json::array a;
    for (const auto& t : clf.active_criteria().topics)
        a.emplace_back(t.name);
    return a;
}

} // namespace

http_response api::feedback(const http_request& r) {
    json::value body;
    if (auto bad = parse_body(r, body))
        return *bad;
    auto f = parse_feedback(body);
    if (!f)
        return invalid_request(f.error());
    if (!store_)
        return json_error(http::status::service_unavailable, "state_unavailable",
                          "the state store could not be opened at start-up");
    if (auto clf = current_classifier())
        f->criteria_version = clf->criteria_version();
    auto id = store_->add_feedback(*f);
    if (!id)
        return json_error(http::status::internal_server_error, "internal_error", id.error());
    json::object out{{"feedback_id", *id}, {"feedback_count", store_->feedback_count()}};
    return json_response(http::status::ok, json::serialize(out));
}

http_response api::get_criteria(const http_request&) {
    auto clf = current_classifier();
    if (!clf) {
        std::lock_guard lock(mutex_);
        return json_error(http::status::service_unavailable, "classifier_unavailable", clf_error_);
    }
    json::object out{{"version", clf->criteria_version()}, {"topics", topic_names(*clf)}};
    {
        std::lock_guard lock(mutex_);
        out["source"] = criteria_source_;
        out["text"] = criteria_text_;
    }
    return json_response(http::status::ok, json::serialize(out));
}

// Builds a classifier from the new text, persists the text, then swaps the classifier in:
// requests already running finish with the old one.
http_response api::put_criteria(const http_request& r) {
    json::value body;
    if (auto bad = parse_body(r, body))
        return *bad;
    auto o = jcheck::object(body, "", {"text"}, {"text"});
    if (!o)
        return invalid_request(o.error());
    auto text = jcheck::string((*o)->at("text"), "text", 1);
    if (!text)
        return invalid_request(text.error());
    if (text->size() > max_criteria_bytes) // what `sieve serve` reads back at its next start
        return json_error(http::status::bad_request, "invalid_criteria",
                          "the criteria text is larger than the " +
                              size_text(max_criteria_bytes) + " limit for a criteria file");
    auto built = classifier::create(*text, embedded_model_text());
    if (!built)
        return json_error(http::status::bad_request, "invalid_criteria", built.error());
    std::lock_guard put_lock(put_mutex_);
    if (auto w = write_private_file(options_.state_dir / "criteria.md", *text); !w)
        return json_error(http::status::internal_server_error, "internal_error", w.error());
    auto next = std::make_shared<const classifier>(std::move(*built));
    if (llm_)
        llm_->use_criteria(next->active_criteria(), *text); // before any request can use it
    std::string previous;
    {
        std::lock_guard lock(mutex_);
        previous = clf_ ? clf_->criteria_version() : std::string();
        clf_ = next;
        clf_error_.clear();
        criteria_text_ = std::move(*text);
        criteria_source_ = "state";
    }
    json::object out{
        {"version", next->criteria_version()},
        {"previous_version", previous.empty() ? json::value(nullptr) : json::value(previous)},
        {"topics", topic_names(*next)}};
    return json_response(http::status::ok, json::serialize(out));
}

} // namespace sieve
