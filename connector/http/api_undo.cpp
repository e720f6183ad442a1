// POST /v1/undo: the plans that take Sieve's tags and unedited Sieve notes off items.
#include "connector/http/api.hpp"

#include "connector/wire/api_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace sieve {

namespace http = boost::beast::http;
namespace json = boost::json;

http_response api::undo(const http_request& r) {
    json::value body;
    if (auto bad = parse_body(r, body))
        return *bad;
    auto req = parse_undo_request(body);
    if (!req)
        return invalid_request(req.error());
    json::array results;
    for (std::size_t i = 0; i < req->items.size(); ++i) {
        const inline_item& item = req->items[i];
        item_content content{item.tags, item.notes, {}};
        json::object one{{"index", i}};
        if (item.id)
            one["id"] = *item.id;
        if (item.library_id) {
            one["libraryID"] = *item.library_id;
            one["key"] = item.key;
            if (store_)
                content.written = store_->written_notes(*item.library_id, item.key);
        }
        one["plan"] = plan_json(compute_undo_plan(content, {options_.tag_prefix, req->tag_type}));
        results.push_back(std::move(one));
    }
    return json_response(http::status::ok, json::serialize(json::object{{"results", results}}));
}

} // namespace sieve
