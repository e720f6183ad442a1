// One item of a bulk job: its judgment (from the cache when its content, model and criteria
// are unchanged, else made now), the LLM judge's when it is known, and its plan against the
// item's current tags and notes. Pure apart from the LLM judge's in-memory queue.
#pragma once
#include "classifier/classifier.hpp"
#include "connector/llm/llm_judge.hpp"
#include "connector/state/state_store.hpp"
#include "connector/zotero/zotero_reader.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sieve {

// What a step knows about an item before judging it: its paper, cache key and stored state.
struct job_item_input {
    paper p;
    judgment_key key;
    state_store::item_state stored;
};

// What judging one item produced; `entry` is null when there is nothing to report.
struct job_item_outcome {
    std::optional<std::pair<judgment_key, std::string>> new_judgment;
    std::vector<job_chunk::note_seen> notes;
    boost::json::value entry;
    std::string verdict;
    std::vector<std::string> topics;
    bool read_only = false, changed = false, user_edited = false, error = false;
    bool llm_judged = false;
    bool fresh = false; // judged now (not from the cache): a complete local judgment
    std::optional<llm_judge::task> llm_task; // to queue for the LLM judge
};

// What judging depends on besides the item.
struct job_item_context {
    const classifier& clf;
    llm_judge* llm;
    const zotero_library& lib;
    const std::string& prefix;
    int tag_type;
};

// Judges and plans one item. Never throws: a failure gives an outcome with `error` set.
// `in.key` is moved from when a new judgment is made.
job_item_outcome judge_job_item(const zotero_item& z, job_item_input& in,
                                const job_item_context& c);

// Adds an item's outcome to a job's totals.
void add_counts(job_counts& c, const job_item_outcome& o);

} // namespace sieve
