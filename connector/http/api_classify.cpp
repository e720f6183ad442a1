// POST /v1/classify: judgments and plans for inline items and for items read from the library.
#include "connector/http/api.hpp"

#include "connector/wire/api_json.hpp"
#include "connector/jobs/judge_item.hpp"
#include "connector/llm/llm_judge.hpp"
#include "connector/wire/paper_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace sieve {

namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

json::object item_error(std::string_view code, std::string_view message) {
    return json::object{{"error", json::object{{"code", code}, {"message", message}}}};
}

} // namespace

json::object api::judge_and_plan(const paper& p, const std::optional<identity>& who,
                                 item_content* content, const classifier& clf,
                                 int tag_type) const {
    state_store* store = who ? store_ : nullptr;
    judgment_key key{who ? who->library_id : 0, who ? who->key : "", content_hash(p),
                     clf.model_version(), clf.criteria_version()};
    json::object jj;
    std::optional<judgment> j;
    if (store)
        if (auto text = store->find_judgment(key))
            j = judgment_from_json(*text, jj);
    bool cached = j.has_value();
    if (!cached) {
        j = clf.judge(p);
        jj = judgment_json(p.id, *j, clf.active_criteria());
        if (store)
            store->store_judgment(key, json::serialize(jj));
    }
    // The LLM's judgment replaces the local one once it is known. A cached judgment holds only
    // what plans need: the LLM judge gets a fresh one (its fallback).
    bool llm_pending = false;
    if (llm_ && llm_->wants(*j)) {
        if (auto up = llm_->resolve(p, cached ? clf.judge(p) : *j, clf, llm_pending)) {
            j = std::move(up);
            jj = judgment_json(p.id, *j, clf.active_criteria());
        }
    }
    jj["id"] = p.id;
    json::object out{{"judgment", std::move(jj)}, {"cached", cached}, {"plan", nullptr}};
    if (llm_)
        out["llm_pending"] = llm_pending;
    if (!content)
        return out;
    if (store)
        content->written = store->written_notes(who->library_id, who->key);
    out["plan"] = plan_json(compute_plan(*j, *content, {options_.tag_prefix, tag_type}));
    if (store)
        for (const auto& n : content->notes)
            if (stamp_intact(n.html))
                store->record_note(who->library_id, who->key, n.key, note_hash(n.html));
    return out;
}

json::object api::classify_inline(const inline_item& item, const classifier& clf,
                                  const library_cache::view* lib, int tag_type) const {
    paper p;
    p.id = item.id.value_or(item.library_id ? std::to_string(*item.library_id) + "/" + item.key
                                            : std::string());
    p.title = item.title;
    p.abstract = item.abstract;
    p.item_type = item.item_type;
    p.venue = item.venue;
    p.keywords = keywords_from_tags(item.tags, options_.tag_prefix);
    std::optional<identity> who;
    if (item.library_id)
        who = identity{*item.library_id, item.key};
    item_content content{item.tags, item.notes, {}};
    bool writable = !who || library_editable(lib ? lib->library.get() : nullptr, who->library_id);
    json::object out = judge_and_plan(p, who, writable ? &content : nullptr, clf, tag_type);
    if (item.id)
        out["id"] = *item.id;
    if (who) {
        out["libraryID"] = who->library_id;
        out["key"] = who->key;
    }
    return out;
}

json::object api::classify_ref(const item_ref& ref, const classifier& clf,
                               const library_cache::view& lib, int tag_type) const {
    if (!library_ || lib.missing)
        return item_error("no_library", "no Zotero database at the configured path");
    if (!lib.library)
        return item_error("library_unavailable", lib.error);
    const zotero_item* z = find_item(*lib.library, ref.library_id, ref.key);
    if (!z)
        return item_error("not_found", "no regular item with this libraryID and key");
    paper p = paper_from_item(*z, options_.tag_prefix);
    item_content content = content_from_item(*z);
    bool writable = library_editable(lib.library.get(), z->library_id);
    return judge_and_plan(p, identity{z->library_id, z->key}, writable ? &content : nullptr, clf,
                          tag_type);
}

http_response api::classify(const http_request& r) {
    auto clf = current_classifier();
    if (!clf) {
        std::lock_guard lock(mutex_);
        return json_error(http::status::service_unavailable, "classifier_unavailable", clf_error_);
    }
    json::value body;
    if (auto bad = parse_body(r, body))
        return *bad;
    auto req = parse_classify_request(body);
    if (!req)
        return invalid_request(req.error());
    std::optional<library_cache::view> lib;
    auto library = [&]() -> const library_cache::view& {
        if (!lib)
            lib = library_ ? library_->get() : library_cache::view{nullptr, true, {}};
        return *lib;
    };
    auto classify_one = [&](std::size_t i) {
        json::object one;
        if (const auto* in = std::get_if<inline_item>(&req->items[i])) {
            one = classify_inline(*in, *clf, in->library_id ? &library() : nullptr, req->tag_type);
        } else {
            const auto& ref = std::get<item_ref>(req->items[i]);
            one = classify_ref(ref, *clf, library(), req->tag_type);
            one["libraryID"] = ref.library_id;
            one["key"] = ref.key;
        }
        one["index"] = i;
        return one;
    };
    std::optional<llm_judge::request_scope> llm_scope;
    if (llm_)
        llm_scope.emplace(*llm_);
    json::array results;
    for (std::size_t i = 0; i < req->items.size(); ++i)
        results.push_back(classify_one(i));
    if (llm_scope && !llm_scope->empty()) { // wait (bounded) for the LLM, then answer again
        llm_scope->wait(llm_judge::clock::now() + std::chrono::milliseconds(std::int64_t(
                                                      llm_->options().classify_wait * 1000)));
        for (auto& result : results) {
            json::object& o = result.as_object();
            if (const auto* p = o.if_contains("llm_pending"); p && *p == true) {
                json::value cached = o["cached"]; // as it was before this request
                o = classify_one(std::size_t(o.at("index").as_uint64()));
                o["cached"] = cached;
            }
        }
    }
    json::object out{{"model_version", clf->model_version()},
                     {"criteria_version", clf->criteria_version()},
                     {"results", std::move(results)}};
    return json_response(http::status::ok, json::serialize(out));
}

} // namespace sieve
