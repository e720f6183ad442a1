// libFuzzer target: `sieve report --input` lines and what the page makes of them —
// parse_report_line, note_reason, is_read_tag (connector/wire/report_input.hpp), then
// build_report_data and render_report_page (connector/wire/report_page.hpp). Requirements: none
// throws; an accepted line gives a page whose only scripts are its own four (library text can
// never end the data block or add markup), and a link, when there is one, is a zotero://select
// link.
#include "connector/wire/report_data.hpp"
#include "connector/wire/report_input.hpp"
#include "connector/wire/report_page.hpp"

#include <cstdio>
#include <cstdlib>

namespace {

#define FUZZ_REQUIRE(cond)                                                                         \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "fuzz_report_input: requirement failed: %s\n", #cond);            \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)

std::size_t count(const std::string& s, std::string_view needle) {
    std::size_t n = 0;
    for (auto at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1))
        ++n;
    return n;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)sieve::note_reason(text, 64);
    (void)sieve::is_read_tag(text);
    auto line = sieve::parse_report_line(text);
    if (!line) {
        FUZZ_REQUIRE(!line.error().empty());
        return 0;
    }
    const sieve::report_item& item = line->item;
    FUZZ_REQUIRE(item.link.empty() || item.link.starts_with("zotero://select/"));
    FUZZ_REQUIRE(item.score >= 1 && item.score <= 10);
    sieve::report_context c;
    c.title = item.title;
    c.topics = item.topics;
    std::vector<sieve::report_item> items{item, item};
    items[1].label = sieve::verdict::relevant;
    const std::string page = sieve::render_report_page(sieve::build_report_data(items, c));
    FUZZ_REQUIRE(count(page, "<script") == 4);
    FUZZ_REQUIRE(count(page, "</script") == 4);
    return 0;
}
