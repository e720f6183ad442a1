// The record kept beside each snapshot, <snapshot>.id: the source the copy was made from (its
// path and observed state) and the identity of the copy itself (size, mtime, ctime, device,
// inode, and a hash of its first and last pages). A snapshot is reused only while both match
// its record: a copy that was damaged, truncated or replaced (even by another Zotero file) since
// it was made, or that has no record, is not trusted. Internal to connector/zotero/.
#pragma once
#include "connector/zotero/snapshot_source.hpp"

#include <filesystem>
#include <string>

namespace sieve {

std::filesystem::path record_path(const std::filesystem::path& copy); // <copy>.id

// The record of `copy`, made from `source` in `state`, as the copy is now.
std::string snapshot_record(const std::filesystem::path& source, const source_state& state,
                            const std::filesystem::path& copy);

// Writes the record (mode 0600, atomically); false when it could not be written (the copy is
// then simply not reused later).
bool write_record(const std::filesystem::path& copy, const std::string& record);

// True when `copy` has a record and it says the copy is unchanged and was made from `source`
// in `state`.
bool record_matches(const std::filesystem::path& source, const source_state& state,
                    const std::filesystem::path& copy);

} // namespace sieve
