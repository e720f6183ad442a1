// libFuzzer target: strip_markup must never crash and must always keep the mapped_text contract.
#include "classifier/criteria_syntax.hpp"
#include "classifier/markup.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void require(bool ok) {
    if (!ok)
        std::abort();
}


} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view source(reinterpret_cast<const char*>(data), size);
    const sieve::mapped_text m = sieve::strip_markup(source);
    require(m.source_offset.size() == m.text.size() + 1);
    require(m.source_offset.back() == source.size());
    for (std::size_t i = 0; i + 1 < m.source_offset.size(); ++i) {
        require(m.source_offset[i] <= m.source_offset[i + 1]);
        require(m.source_offset[i] < source.size());
    }
    require(sieve::valid_utf8(m.text));
    require(m.text.empty() || (m.text.front() != ' ' && m.text.back() != ' '));
    require(m.text.find("  ") == std::string::npos);
    return 0;
}
