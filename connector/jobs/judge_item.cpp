#include "connector/jobs/judge_item.hpp"

namespace sieve {

namespace {

bool has_prefix(std::string_view s, std::string_view prefix) {
    return !prefix.empty() && s.substr(0, prefix.size()) == prefix;
}

} // namespace

std::vector<std::string> keywords_from_tags(const std::vector<item_tag>& tags,
                                            std::string_view prefix) {
    std::vector<std::string> out;
    for (const auto& t : tags)
        if (!has_prefix(t.tag, prefix))
            out.push_back(t.tag);
    return out;
}

paper paper_from_item(const zotero_item& z, std::string_view tag_prefix) {
    paper p{std::to_string(z.library_id) + "/" + z.key, z.title, z.abstract, z.item_type, z.venue,
            {}};
    for (const auto& t : z.tags)
        if (!has_prefix(t.name, tag_prefix))
            p.keywords.push_back(t.name);
    return p;
}

item_content content_from_item(const zotero_item& z) {
    item_content c;
    c.tags.reserve(z.tags.size());
    for (const auto& t : z.tags)
        c.tags.push_back({t.name, t.type});
    for (const auto& n : z.notes)
        c.notes.push_back({n.key, n.html});
    return c;
}

bool library_editable(const zotero_library* lib, std::int64_t library_id) {
    if (!lib)
        return true;
    for (const auto& l : lib->libraries)
        if (l.id == library_id)
            return l.editable;
    return true;
}

} // namespace sieve
