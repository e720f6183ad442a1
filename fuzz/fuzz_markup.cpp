// libFuzzer target: strip_markup must never crash and must always keep the mapped_text contract.
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

bool valid_utf8(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        const std::size_t n = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
        if (n == 0 || i + n > s.size())
            return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80)
                return false;
        i += n;
    }
    return true;
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
    require(valid_utf8(m.text));
    require(m.text.empty() || (m.text.front() != ' ' && m.text.back() != ' '));
    require(m.text.find("  ") == std::string::npos);
    return 0;
}
