// Helpers for the Zotero reader tests: temp dirs, the shared libraries, file fingerprints.
#pragma once
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace sieve_test {

namespace fs = std::filesystem;

// A fresh directory under the system temp dir, removed with everything in it.
class temp_dir {
public:
    temp_dir() {
        std::string pattern = (fs::temp_directory_path() / "sieve-test-XXXXXX").string();
        BOOST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    const fs::path& path() const { return path_; }
    fs::path operator/(const std::string& name) const { return path_ / name; }

private:
    fs::path path_;
};

inline fs::path shared_dir() {
    const char* s = std::getenv("SIEVE_SHARED");
    BOOST_REQUIRE_MESSAGE(s != nullptr, "SIEVE_SHARED is not set");
    return s;
}

// Every real Zotero library of the shared folder (sorted).
inline std::vector<fs::path> real_libraries() {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(shared_dir() / "zotero-libraries"))
        if (e.path().extension() == ".sqlite")
            out.push_back(e.path());
    std::sort(out.begin(), out.end());
    BOOST_REQUIRE(!out.empty());
    return out;
}

inline std::string file_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::set<std::string> listing(const fs::path& dir) {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(dir))
        names.insert(e.path().filename().string());
    return names;
}

// Content and neighbours of a database file; compare before and after a test.
struct fingerprint {
    std::string bytes;
    std::set<std::string> neighbours;
    explicit fingerprint(const fs::path& db)
        : bytes(file_bytes(db)), neighbours(listing(db.parent_path())) {}
    bool operator==(const fingerprint&) const = default;
};

inline std::ostream& operator<<(std::ostream& os, const fingerprint& f) {
    os << f.bytes.size() << " bytes, neighbours:";
    for (const auto& n : f.neighbours)
        os << ' ' << n;
    return os;
}

// A writable copy of `from` in `dir` (created if needed), under the name `name`.
inline fs::path copy_into(const fs::path& from, const fs::path& dir, const std::string& name) {
    fs::create_directories(dir);
    const fs::path to = dir / name;
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
    fs::permissions(to, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    return to;
}

} // namespace sieve_test
