// itemID -> position of the item in a vector, for grouping the rows of child tables by item.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace sieve {

// A flat table for the usual compact IDs (Zotero numbers items from 1), a hash map for the rest.
// find() returns `none` for an ID that was never added.
class item_index {
public:
    static constexpr std::size_t none = static_cast<std::size_t>(-1);
    void add(std::int64_t id, std::size_t pos) {
        if (id >= 0 && id < dense_limit) {
            const auto at = static_cast<std::size_t>(id);
            if (at >= dense_.size())
                dense_.resize(std::max(at + 1, dense_.size() * 2), unused);
            dense_[at] = static_cast<std::uint32_t>(pos);
        } else {
            sparse_.emplace(id, pos);
        }
    }
    std::size_t find(std::int64_t id) const {
        if (id >= 0 && id < dense_limit) {
            const auto at = static_cast<std::size_t>(id);
            return at < dense_.size() && dense_[at] != unused ? dense_[at] : none;
        }
        const auto it = sparse_.find(id);
        return it == sparse_.end() ? none : it->second;
    }

private:
    static constexpr std::int64_t dense_limit = 1 << 22; // at most 16 MB of table
    static constexpr std::uint32_t unused = static_cast<std::uint32_t>(-1);
    std::vector<std::uint32_t> dense_;
    std::unordered_map<std::int64_t, std::size_t> sparse_;
};

} // namespace sieve
