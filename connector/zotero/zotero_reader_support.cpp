// The small helpers of zotero_reader.hpp: error category, default paths, arXiv ID and DOI
// extraction.
#include "connector/zotero/zotero_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <unistd.h>

namespace sieve {

namespace {

class zotero_category_impl final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "sieve.zotero"; }
    std::string message(int ev) const override {
        switch (static_cast<zotero_errc>(ev)) {
        case zotero_errc::missing:
            return "Zotero database not found";
        case zotero_errc::not_zotero:
            return "not a Zotero database";
        case zotero_errc::corrupt:
            return "Zotero database is damaged";
        case zotero_errc::locked:
            return "Zotero database is still being written";
        case zotero_errc::io:
            return "cannot read the Zotero database or write its snapshot";
        }
        return "unknown Zotero reader error";
    }
};

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool digits(std::string_view s, std::size_t at, std::size_t n) {
    if (at + n > s.size())
        return false;
    return std::all_of(s.begin() + static_cast<std::ptrdiff_t>(at),
                       s.begin() + static_cast<std::ptrdiff_t>(at + n),
                       [](unsigned char c) { return std::isdigit(c) != 0; });
}

// An arXiv identifier starting exactly at s[at] ("2401.01234", "hep-th/9901001"), without any
// version suffix; empty when there is none.
std::string id_at(std::string_view s, std::size_t at) {
    if (digits(s, at, 4) && at + 4 < s.size() && s[at + 4] == '.' && digits(s, at + 5, 4)) {
        const std::size_t n = digits(s, at + 9, 1) ? 10 : 9;
        if (digits(s, at + n, 1))
            return {};
        return std::string(s.substr(at, n));
    }
    std::size_t i = at;
    while (i < s.size() && (std::islower(static_cast<unsigned char>(s[i])) || s[i] == '-'))
        ++i;
    if (i == at)
        return {};
    if (i + 3 < s.size() && s[i] == '.' && std::isupper(static_cast<unsigned char>(s[i + 1])) &&
        std::isupper(static_cast<unsigned char>(s[i + 2])))
        i += 3;
    if (i < s.size() && s[i] == '/' && digits(s, i + 1, 7) && !digits(s, i + 8, 1))
        return std::string(s.substr(at, i + 8 - at));
    return {};
}

// First identifier following one of `markers` (searched case-insensitively) in `s`.
std::string id_after(std::string_view s, std::initializer_list<std::string_view> markers,
                     bool skip_separators) {
    const std::string low = lower(s);
    for (std::string_view m : markers) {
        for (auto p = low.find(m); p != std::string::npos; p = low.find(m, p + 1)) {
            std::size_t at = p + m.size();
            while (skip_separators && at < s.size() && (s[at] == ':' || s[at] == ' '))
                ++at;
            if (std::string id = id_at(s, at); !id.empty())
                return id;
        }
    }
    return {};
}

std::filesystem::path env_path(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? std::filesystem::path(v) : std::filesystem::path();
}

} // namespace

const boost::system::error_category& zotero_category() noexcept {
    static const zotero_category_impl instance;
    return instance;
}

boost::system::error_code make_error_code(zotero_errc e) noexcept {
    return {static_cast<int>(e), zotero_category()};
}

std::string find_arxiv_id(std::string_view url, std::string_view doi, std::string_view extra) {
    std::string id = id_after(url, {"arxiv.org/abs/", "arxiv.org/pdf/"}, false);
    if (id.empty())
        id = id_after(doi, {"10.48550/arxiv."}, false);
    if (id.empty())
        id = id_after(extra, {"arxiv:", "arxiv "}, true);
    return id;
}

std::filesystem::path default_zotero_db() {
    if (auto dir = env_path("SIEVE_ZOTERO_DIR"); !dir.empty())
        return dir / "zotero.sqlite";
    if (auto home = env_path("HOME"); !home.empty())
        return home / "Zotero" / "zotero.sqlite";
    return {};
}

std::filesystem::path default_snapshot_dir() {
    if (auto cache = env_path("XDG_CACHE_HOME"); !cache.empty())
        return cache / "sieve";
    if (auto home = env_path("HOME"); !home.empty())
        return home / ".cache" / "sieve";
    return std::filesystem::temp_directory_path() / ("sieve-" + std::to_string(::getuid()));
}

const zotero_item* find_item(const zotero_library& lib, std::int64_t library_id,
                             std::string_view key) {
    const auto it = std::lower_bound(lib.items.begin(), lib.items.end(), std::pair{library_id, key},
                                     [](const zotero_item& item, const auto& k) {
                                         return std::pair<std::int64_t, std::string_view>(
                                                    item.library_id, item.key) < k;
                                     });
    if (it == lib.items.end() || it->library_id != library_id || it->key != key)
        return nullptr;
    return &*it;
}

std::string doi_from_extra(std::string_view extra) {
    for (std::size_t start = 0; start < extra.size();) {
        const auto end = std::min(extra.find('\n', start), extra.size());
        const std::string_view line = extra.substr(start, end - start);
        if (line.starts_with("DOI:")) {
            const auto b = line.find_first_not_of(" \t", 4);
            if (b != std::string_view::npos)
                return std::string(line.substr(b));
        }
        start = end + 1;
    }
    return {};
}

} // namespace sieve
