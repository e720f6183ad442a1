#include "connector/zotero/library_cache.hpp"

#include "connector/zotero/snapshot_source.hpp"

namespace sieve {

namespace fs = std::filesystem;

library_cache::library_cache(fs::path db, reader_options options)
    : db_(std::move(db)), options_(std::move(options)) {}

std::string library_cache::signature() const {
    return cache_signature(db_);
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
