// The metadata a judgment is made from. Plain data; every field may be empty.
#pragma once
#include <string>
#include <vector>

namespace sieve {

struct paper {
    std::string id;        // caller's identifier, e.g. an arXiv ID or "<libraryID>/<itemKey>"
    std::string title;     // as stored (may hold HTML/JATS markup or LaTeX)
    std::string abstract;  // as stored (may hold HTML/JATS markup or LaTeX)
    std::string item_type; // Zotero item type name, e.g. "journalArticle"; empty when unknown
    std::string venue;     // publication or proceedings title
    std::vector<std::string> keywords; // author keywords, categories or tags, when present
};

} // namespace sieve
