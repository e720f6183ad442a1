// The HTTP API of `sieve serve` (docs/http-api.md, schema/api/*.schema.json): request checks
// (Host, Origin, bearer token), routing, and the handlers of /v1/health and /v1/classify.
#pragma once
#include "classifier/classifier.hpp"
#include "connector/wire/classify_request.hpp"
#include "connector/http/http_server.hpp"
#include "connector/zotero/library_cache.hpp"
#include "connector/jobs/plan.hpp"
#include "connector/state/state_store.hpp"

#include <boost/json/value.hpp>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

namespace sieve {

class llm_judge; // connector/llm/llm_judge.hpp

struct api_options {
    std::string token;                 // the bearer token every request must carry
    unsigned short port = 0;           // the port the Host header must name
    std::string tag_prefix = "sieve/"; // the tag namespace Sieve owns
    std::filesystem::path state_dir;   // PUT /v1/criteria persists to <state_dir>/criteria.md
    std::string criteria_text;         // the text the initial classifier was built from
    std::string criteria_source;       // "embedded" or "state"
};

class job_runner;
class personal_trainer; // connector/jobs/personal_trainer.hpp

// The body cap of POST /v1/jobs: 50,000 item keys take about 1.9 MB as the extension sends them
// ({"libraryID": 1, "key": "ABCD2345"}, ...), which the 1 MiB of the other routes cannot hold.
inline constexpr std::uint64_t jobs_body_limit = 4u << 20;

class api final : public http_handler {
public:
    // `library` may be null (no database configured), `store` too (no judgment cache, no
    // note records, no feedback). `clf` may be null when the classifier could not be built;
    // /v1/classify then answers 503 with `clf_error`.
    api(api_options options, library_cache* library, state_store* store,
        std::shared_ptr<const classifier> clf, std::string clf_error);

    void set_port(unsigned short port) { options_.port = port; }
    // The bulk job runner (null: the job routes answer 503). Set before serving.
    void set_jobs(job_runner* jobs) { jobs_ = jobs; }
    // The optional LLM judge (null: local judgments only); set before serving.
    void set_llm(llm_judge* llm) { llm_ = llm; }

    // 400 for a repeated Host, Origin or Authorization header, 403 for a wrong Host or a web
    // Origin, 401 for a missing or wrong bearer token.
    std::optional<http_response> check_header(const http_header& h) override;
    // jobs_body_limit for POST /v1/jobs (a scope of up to 50,000 keys), else the server's.
    std::optional<std::uint64_t> body_limit(const http_header& h) override;
    // HEAD is answered as GET (the session drops the body).
    http_response handle(const http_request& r) override;

    // The personal layer's trainer (null: no state store; the personal routes answer 503).
    // Set before serving.
    void set_personal(personal_trainer* p) { personal_ = p; }

    // The classifier in use (null when unavailable), with the personal layer attached.
    std::shared_ptr<const classifier> current_classifier() const;
    // The same without the personal layer (what corrections are read with).
    std::shared_ptr<const classifier> base_classifier() const;

private:
    http_response route(const http_request& r);
    http_response health(const http_request& r);
    http_response classify(const http_request& r);
    http_response feedback(const http_request& r);     // api_admin.cpp
    http_response get_criteria(const http_request& r); // api_admin.cpp
    http_response put_criteria(const http_request& r); // api_admin.cpp
    struct identity {
        std::int64_t library_id = 0;
        std::string key;
    };
    boost::json::object classify_inline(const inline_item& item, const classifier& clf,
                                        const library_cache::view* lib, int tag_type) const;
    boost::json::object classify_ref(const item_ref& ref, const classifier& clf,
                                     const library_cache::view& lib, int tag_type) const;
    // Judgment (cached by identity when there is a store) and, when `content` is set, the plan.
    boost::json::object judge_and_plan(const paper& p, const std::optional<identity>& who,
                                       item_content* content, const classifier& clf,
                                       int tag_type) const;
    http_response undo(const http_request& r); // api_undo.cpp
    http_response jobs_route(const http_request& r, std::string_view target); // api_jobs.cpp
    http_response start_job(const http_request& r);                          // api_jobs.cpp
    http_response list_jobs();                                                // api_jobs.cpp
    http_response job_plan(const http_request& r, std::int64_t id);           // api_jobs.cpp
    http_response report(const http_request& r);                             // api_report.cpp
    http_response personal_route(const http_request& r);                     // api_personal.cpp
    http_response personal_affected(const http_request& r);                  // same
    http_response withdraw_feedback(const http_request& r, std::string_view id); // same
    // For a request that needs the Zotero library: fills `out` with the current view, or returns
    // the 503 answer saying why there is none (no_library, library_unavailable). api.cpp.
    std::optional<http_response> need_library(library_cache::view& out) const;

    api_options options_;
    library_cache* library_;
    state_store* store_;
    job_runner* jobs_ = nullptr;
    mutable std::mutex mutex_; // guards clf_, clf_error_, criteria_text_, criteria_source_
    std::shared_ptr<const classifier> clf_;
    std::string clf_error_;
    std::string criteria_text_;
    std::string criteria_source_;
    std::mutex put_mutex_; // one PUT /v1/criteria at a time
    llm_judge* llm_ = nullptr;
    personal_trainer* personal_ = nullptr;
    // current_classifier's cache: clf_ with the layer attached (guarded by mutex_).
    mutable std::shared_ptr<const classifier> personal_clf_, personal_base_;
    mutable std::shared_ptr<const personal_layer> personal_layer_;
};

// A JSON response with the given status (Content-Type application/json, Cache-Control no-store).
http_response json_response(boost::beast::http::status status, std::string body);
http_response json_error(boost::beast::http::status status, std::string_view code,
                         std::string_view message);
// Parses the request body as JSON into `out`; else the 400 malformed_json to answer.
std::optional<http_response> parse_body(const http_request& r, boost::json::value& out);
// 400 invalid_request naming what a request check found wrong.
http_response invalid_request(const jcheck::error& e);
// 405 method_not_allowed with an Allow header naming `allow`.
http_response method_not_allowed(std::string_view allow);

} // namespace sieve
