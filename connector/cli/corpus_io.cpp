#include "connector/cli/corpus_io.hpp"

#include "connector/cli/jsonl_reader.hpp"
#include "connector/wire/input_limits.hpp"
#include "connector/wire/paper_json.hpp"

#include <unordered_map>

namespace sieve {

boost::system::result<jsonl_file, std::string> read_jsonl(const std::string& path) {
    auto in = jsonl_reader::open(path);
    if (!in) return {boost::system::in_place_error, in.error()};
    const std::string too_large = path + " is larger than the " +
                                  size_text(max_jsonl_file_bytes) + " limit for a JSONL file";
    if (in->size() > max_jsonl_file_bytes) return {boost::system::in_place_error, too_large};
    jsonl_file f;
    std::uint64_t total = 0;
    jsonl_reader::line line;
    while (in->next(line)) {
        if (line.too_long)
            return {boost::system::in_place_error, path + ": line " +
                                                       std::to_string(line.number) + ": " +
                                                       too_long_line_message()};
        total += line.text.size();
        if (total > max_jsonl_file_bytes) return {boost::system::in_place_error, too_large};
        f.lines.push_back(std::move(line.text));
        f.numbers.push_back(line.number);
    }
    if (!in->error().empty()) return {boost::system::in_place_error, in->error()};
    return f;
}

boost::system::result<std::vector<labelled_paper>, std::string>
read_labelled(const std::string& path) {
    auto f = read_jsonl(path);
    if (!f) return {boost::system::in_place_error, f.error()};
    std::vector<labelled_paper> out;
    out.reserve(f->lines.size());
    for (std::size_t i = 0; i < f->lines.size(); ++i) {
        auto p = parse_paper_line(f->lines[i]);
        if (!p)
            return {boost::system::in_place_error,
                    path + ": line " + std::to_string(f->numbers[i]) + ": " + p.error()};
        out.push_back(std::move(*p));
    }
    return out;
}

boost::system::result<std::vector<labelled_paper>, std::string>
read_training_set(const std::vector<std::string>& paths) {
    std::vector<labelled_paper> all;
    std::unordered_map<std::string, std::size_t> by_id;
    for (const auto& path : paths) {
        auto part = read_labelled(path);
        if (!part) return part;
        for (auto& lp : *part) {
            auto [it, fresh] = by_id.emplace(lp.p.id, all.size());
            if (fresh || lp.p.id.empty()) {
                all.push_back(std::move(lp));
            } else if (lp.gold && !all[it->second].gold) {
                if (lp.relevant < 0) lp.relevant = all[it->second].relevant;
                all[it->second] = std::move(lp);
            }
        }
    }
    return all;
}

} // namespace sieve
