#include "classifier/model.hpp"

#include "classifier/hash.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace sieve {

namespace {


class line_reader {
public:
    explicit line_reader(std::string_view t) : t_(t) {}
    bool next(std::string_view& line) {
        if (pos_ >= t_.size()) return false;
        auto e = t_.find('\n', pos_);
        if (e == std::string_view::npos) e = t_.size();
        line = t_.substr(pos_, e - pos_);
        pos_ = e + 1;
        ++no_;
        return true;
    }
    boost::system::result<model, std::string> error(std::string_view what) const {
        return {boost::system::in_place_error,
                "model line " + std::to_string(no_) + ": " + std::string(what)};
    }

private:
    std::string_view t_;
    std::size_t pos_ = 0;
    std::size_t no_ = 0;
};

template <class T> bool parse_number(std::string_view s, T& out) {
    auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// "head\t<name>\t<bias>\t<threshold>\t<n>"
bool parse_head_line(std::string_view line, linear_head& h, std::size_t& n) {
    std::vector<std::string_view> parts;
    std::size_t p = 0;
    while (true) {
        auto e = line.find('\t', p);
        parts.push_back(line.substr(p, e == std::string_view::npos ? e : e - p));
        if (e == std::string_view::npos) break;
        p = e + 1;
    }
    if (parts.size() != 5 || parts[0] != "head" || parts[1].empty()) return false;
    h.name = std::string(parts[1]);
    return parse_number(parts[2], h.bias) && parse_number(parts[3], h.threshold) &&
           parse_number(parts[4], n);
}

} // namespace

double linear_head::margin(const sparse_vector& x) const {
    double s = bias;
    constexpr std::size_t ahead = 8; // weights are scattered over a large table: fetch early
    for (std::size_t i = 0; i < x.index.size(); ++i) {
        if (i + ahead < x.index.size() && x.index[i + ahead] < weights.size())
            __builtin_prefetch(&weights[x.index[i + ahead]]);
        if (x.index[i] < weights.size()) s += double(weights[x.index[i]]) * x.value[i];
    }
    return s;
}

double linear_head::probability(const sparse_vector& x) const {
    return 1.0 / (1.0 + std::exp(-margin(x)));
}

double model::param(std::string_view name, double fallback) const {
    for (const auto& [n, v] : params)
        if (n == name) return v;
    return fallback;
}

const linear_head* model::head(std::string_view name) const {
    for (const auto& h : heads)
        if (h.name == name) return &h;
    return nullptr;
}

boost::system::result<model, std::string> parse_model(std::string_view text,
                                                      std::size_t dense_below) {
    line_reader r(text);
    std::string_view line;
    model m;
    if (!r.next(line) || line != "sieve-model 1") return r.error("not a sieve model file");
    if (!r.next(line) || !line.starts_with("version ")) return r.error("expected 'version'");
    m.version = std::string(line.substr(8));
    if (!r.next(line) || !line.starts_with("hash_bits ") ||
        !parse_number(line.substr(10), m.hash_bits) || m.hash_bits < 8 || m.hash_bits > 24)
        return r.error("expected 'hash_bits <8..24>'");
    while (r.next(line)) {
        if (line.empty()) continue;
        if (line.starts_with("param\t")) {
            auto tab = line.find('\t', 6);
            double v = 0;
            if (tab == std::string_view::npos || !parse_number(line.substr(tab + 1), v))
                return r.error("expected 'param<TAB>name<TAB>value'");
            m.params.emplace_back(std::string(line.substr(6, tab - 6)), v);
            continue;
        }
        linear_head h;
        std::size_t n = 0;
        if (!parse_head_line(line, h, n)) return r.error("expected a head line");
        std::vector<std::pair<std::uint32_t, float>> entries;
        entries.reserve(n);
        std::size_t used = 0; // heads over the small meta space need no room for text features
        for (std::size_t k = 0; k < n; ++k) {
            std::uint32_t idx = 0;
            float w = 0;
            auto sp = line.find(' ');
            if (!r.next(line) || (sp = line.find(' ')) == std::string_view::npos ||
                !parse_number(line.substr(0, sp), idx) || !parse_number(line.substr(sp + 1), w) ||
                idx >= (std::size_t{1} << m.hash_bits))
                return r.error("expected '<index> <weight>'");
            entries.emplace_back(idx, w);
            if (w != 0.0f)
                used = std::max(used, std::size_t(idx) + 1);
        }
        h.weights.assign(std::min(used, dense_below), 0.0f); // sized once: no trailing zeros
        for (const auto& [idx, w] : entries)
            if (idx < h.weights.size())
                h.weights[idx] = w;
            else if (idx < used && w != 0.0f)
                h.sparse.emplace_back(idx, w);
        m.heads.push_back(std::move(h));
    }
    return m;
}

std::string serialize_model(const model& m) {
    std::string body = "hash_bits " + std::to_string(m.hash_bits) + "\n";
    char buf[64];
    for (const auto& [name, v] : m.params) {
        std::snprintf(buf, sizeof buf, "%.9g", v);
        body += "param\t" + name + "\t" + buf + "\n";
    }
    for (const auto& h : m.heads) {
        std::size_t nnz = 0;
        for (float w : h.weights) nnz += w != 0.0f;
        std::snprintf(buf, sizeof buf, "\t%.9g\t%.6g\t", h.bias, h.threshold);
        body += "head\t" + h.name + buf + std::to_string(nnz) + "\n";
        for (std::size_t i = 0; i < h.weights.size(); ++i) {
            if (h.weights[i] == 0.0f) continue;
            std::snprintf(buf, sizeof buf, "%zu %.9g\n", i, double(h.weights[i]));
            body += buf;
        }
    }
    return "sieve-model 1\nversion " + hex64(fnv1a64(body)) + "\n" + body;
}

} // namespace sieve
