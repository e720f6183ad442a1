#include "connector/zotero/library_cache.hpp"

#include <sys/stat.h>

namespace sieve {

namespace fs = std::filesystem;

library_cache::library_cache(fs::path db, reader_options options)
    : db_(std::move(db)), options_(std::move(options)) {}

std::string library_cache::signature() const {
    std::string sig;
    for (const char* suffix : {"", "-journal", "-wal"}) {
        struct stat st {};
        std::string p = db_.string() + suffix;
        if (::stat(p.c_str(), &st) != 0) {
            sig += "-;";
            continue;
        }
        sig += std::to_string(st.st_size) + "," + std::to_string(st.st_mtim.tv_sec) + "." +
               std::to_string(st.st_mtim.tv_nsec) + ";";
    }
    return sig;
}

library_cache::view library_cache::get() {
    std::lock_guard lock(mutex_);
    std::string sig = signature();
    if (loaded_ && sig == loaded_signature_)
        return current_;
    view v;
    std::string detail;
    auto lib = read_zotero_library(db_, options_, &detail);
    if (lib) {
        v.library = std::make_shared<const zotero_library>(std::move(*lib));
    } else {
        v.missing = lib.error() == make_error_code(zotero_errc::missing);
        v.error = detail.empty() ? lib.error().message() : detail;
    }
    current_ = v;
    loaded_signature_ = std::move(sig);
    loaded_ = true;
    return v;
}

} // namespace sieve
