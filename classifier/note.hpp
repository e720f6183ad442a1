// The child note that explains a judgment, as an XHTML fragment for Zotero's note editor.
#pragma once
#include "classifier/criteria.hpp"
#include "classifier/judgment.hpp"
#include "classifier/paper.hpp"
#include <string>

namespace sieve {

// Builds the note as XHTML text (all text escaped). Layout: a <div data-sieve-note="1"> holding
// an <h2> naming the verdict and the topics, a paragraph saying why (foundational or application
// or outside the topics, by the criteria's wording; j.reason instead when set: an LLM's sentence),
// a list of the evidence quotes each followed by the criterion line it matched (topic + label, or
// keyword list, with the file's line number), a line with score, confidence and judge. When
// j.thin_evidence is set it says so plainly.
// Every quote comes from j.evidence (which already holds the paper's own text); nothing else of
// the paper is quoted. Output is well-formed XML (one root element).
std::string build_note(const judgment& j, const criteria& c, const paper& p);

} // namespace sieve
