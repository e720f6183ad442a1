// sieve classify: one JSON judgment per input line (or per item of a Zotero library), in order.
#include "classifier/classifier.hpp"
#include "classifier/embedded.hpp"
#include "connector/cli/cli_options.hpp"
#include "connector/cli/criteria_file.hpp"
#include "connector/cli/jsonl_reader.hpp"
#include "connector/wire/paper_json.hpp"
#include "connector/zotero/zotero_reader.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <cstdio>
#include <iostream>
#include <thread>

namespace sieve::cli {

namespace po = boost::program_options;

namespace {

struct job {
    std::string raw;   // a JSONL line still to parse (parsed on the judging threads)
    std::string id;
    paper p;
    std::string error; // non-empty: the line could not be parsed
    std::size_t line = 0;
};

// A table cell: tabs and line breaks become spaces, clipped to at most `max` bytes on a UTF-8
// character boundary, so that every item stays one row.
std::string cell(std::string_view s, std::size_t max = std::string::npos) {
    std::string out(s.substr(0, std::min(max, s.size())));
    if (out.size() < s.size())
        while (!out.empty() && (static_cast<unsigned char>(s[out.size()]) & 0xC0) == 0x80)
            out.pop_back();
    for (auto& ch : out)
        if (ch == '\t' || ch == '\n' || ch == '\r') ch = ' ';
    return out;
}

// Parses j.raw (if any) into j; false when the line is not a valid paper.
bool parse_raw(job& j) {
    if (j.raw.empty()) return j.error.empty();
    auto p = parse_paper_line(j.raw);
    std::string().swap(j.raw);
    if (!p) {
        j.error = p.error();
        return false;
    }
    j.id = p->p.id;
    j.p = std::move(p->p);
    return true;
}

std::string render(const job& j, const classifier& cl, bool table) {
    if (!j.error.empty()) {
        boost::json::object e{{"line", j.line}, {"error", j.error}};
        if (!j.id.empty()) e["id"] = j.id;
        return boost::json::serialize(e);
    }
    judgment jd = cl.judge(j.p);
    if (!table) { // the JSON built in a buffer on the stack (the heap only past 32 KiB)
        unsigned char buffer[32768];
        boost::json::monotonic_resource arena(buffer, sizeof buffer);
        return boost::json::serialize(judgment_json(j.id, jd, cl.active_criteria(), &arena));
    }
    std::string topics;
    for (const auto& t : jd.topics) topics += (topics.empty() ? "" : "; ") + t;
    char buf[64];
    std::snprintf(buf, sizeof buf, "\t%s\t%d\t%.2f\t", std::string(to_string(jd.label)).c_str(),
                  jd.score, jd.confidence);
    return cell(j.id) + buf + cell(topics) + "\t" + cell(j.p.title, 80);
}

constexpr std::size_t chunk_size = 2048;       // lines judged together
constexpr std::size_t chunk_bytes = 16u << 20; // and at most this much text (two chunks are held)

// Two judging threads kept for the whole run, so that what each keeps per thread (the stem
// cache, the contributions' position table, the allocator's cache) stays warm from chunk to
// chunk. They take a chunk's lines in small blocks as they come free (a core taken by another
// process does not stall the other thread at the chunk's end); each line's output has its own
// slot, so the order is the input's.
class judging_pool {
public:
    judging_pool(const classifier& cl, bool table) : cl_(cl), table_(table) {
        for (int k = 0; k < 2; ++k) threads_.emplace_back([this] { run(); });
    }
    ~judging_pool() {
        {
            std::lock_guard lock(m_);
            stop_ = true;
        }
        work_.notify_all();
        for (auto& t : threads_) t.join();
    }
    judging_pool(const judging_pool&) = delete;
    judging_pool& operator=(const judging_pool&) = delete;

    // Starts parsing and judging jobs into out (resized to match); returns at once. The vectors
    // must live, untouched, until wait() returns.
    void start(std::vector<job>& jobs, std::vector<std::string>& out) {
        out.resize(jobs.size());
        std::lock_guard lock(m_);
        jobs_ = &jobs;
        out_ = &out;
        next_ = 0;
        all_parsed_ = true;
        busy_ = int(threads_.size());
        ++generation_;
        work_.notify_all();
    }

    // Until the chunk started last is done; false when some line could not be parsed.
    bool wait() {
        std::unique_lock lock(m_);
        done_.wait(lock, [this] { return busy_ == 0; });
        return all_parsed_;
    }

private:
    static constexpr std::size_t block = 8; // lines taken at a time

    void run() {
        std::size_t seen = 0;
        while (true) {
            {
                std::unique_lock lock(m_);
                work_.wait(lock, [&] { return stop_ || generation_ != seen; });
                if (stop_) return;
                seen = generation_;
            }
            auto& jobs = *jobs_;
            for (std::size_t from; (from = next_.fetch_add(block)) < jobs.size();)
                for (std::size_t k = from; k < std::min(from + block, jobs.size()); ++k) {
                    if (!parse_raw(jobs[k])) all_parsed_ = false;
                    (*out_)[k] = render(jobs[k], cl_, table_);
                }
            std::lock_guard lock(m_);
            if (--busy_ == 0) done_.notify_all();
        }
    }

    const classifier& cl_;
    const bool table_;
    std::mutex m_;
    std::condition_variable work_, done_;
    std::vector<job>* jobs_ = nullptr;
    std::vector<std::string>* out_ = nullptr;
    std::atomic<std::size_t> next_{0};
    std::atomic<bool> all_parsed_{true};
    std::size_t generation_ = 0;
    int busy_ = 0;
    bool stop_ = false;
    std::vector<std::thread> threads_;
};

void print_lines(const std::vector<std::string>& out) {
    for (const auto& line : out) std::cout << line << '\n';
}

// Up to chunk_size non-empty lines (and about chunk_bytes) of `in` as unparsed jobs; a line over
// the JSONL line cap is a job with its error, its text never held.
std::vector<job> read_chunk(jsonl_reader& in) {
    std::vector<job> jobs;
    std::size_t bytes = 0;
    jsonl_reader::line line;
    while (jobs.size() < chunk_size && bytes < chunk_bytes && in.next(line)) {
        job j;
        j.line = line.number;
        if (line.too_long)
            j.error = too_long_line_message();
        bytes += line.text.size();
        j.raw = std::move(line.text);
        jobs.push_back(std::move(j));
    }
    return jobs;
}

// Streams a JSONL file through the classifier chunk by chunk (bounded memory): while one chunk is
// judged, this thread prints the previous one and reads the next.
bool classify_jsonl(const std::string& path, const classifier& cl, bool table, int& exit) {
    auto in = jsonl_reader::open(path); // a regular file: not a directory, FIFO or device
    if (!in) {
        std::cerr << "sieve classify: " << in.error() << '\n';
        exit = usage;
        return false;
    }
    judging_pool pool(cl, table);
    std::vector<job> current = read_chunk(*in);
    std::vector<std::string> ready, judging;
    while (!current.empty()) {
        pool.start(current, judging);
        print_lines(ready);
        std::vector<job> next = read_chunk(*in);
        if (!pool.wait()) exit = bad_input_line;
        std::swap(ready, judging);
        current = std::move(next);
    }
    print_lines(ready);
    if (!in->error().empty()) {
        std::cerr << "sieve classify: " << in->error() << '\n';
        exit = failure;
        return false;
    }
    return true;
}

bool jobs_from_db(const std::string& path, std::vector<job>& jobs, int& exit) {
    std::string detail;
    auto lib = read_zotero_library(path, reader_options{}, &detail);
    if (!lib) {
        std::cerr << "sieve classify: " << (detail.empty() ? lib.error().message() : detail) << '\n';
        exit = database;
        return false;
    }
    for (auto& item : lib->items) {
        job j;
        j.id = std::to_string(item.library_id) + "/" + item.key;
        j.p = {j.id, std::move(item.title), std::move(item.abstract), std::move(item.item_type),
               std::move(item.venue), {}};
        jobs.push_back(std::move(j));
    }
    return true;
}

} // namespace

int run_classify(args a) {
    po::options_description d("options");
    d.add_options()
        ("input", po::value<std::string>(),
         "JSONL, one paper per line: id, title, abstract, ... (a regular file; a line over 1 MiB "
         "is reported, not read)")
        ("db", po::value<std::string>(), "a Zotero database (zotero.sqlite), read-only")
        ("criteria", po::value<std::string>(),
         "criteria file, at most 256 KiB (default: the embedded seed)")
        ("model", po::value<std::string>(),
         "model file, at most 64 MiB (default: the embedded model)")
        ("format", po::value<std::string>()->default_value("jsonl"), "jsonl | table");
    int exit = ok;
    const char* synopsis = "sieve classify (--input FILE.jsonl | --db PATH) [--criteria FILE] "
                           "[--format jsonl|table]";
    auto vm = parse_options(a, d, synopsis, exit);
    if (!vm) return exit;
    auto opt = [&](const char* k) { return vm->count(k) ? (*vm)[k].as<std::string>() : ""; };
    if (vm->count("input") == vm->count("db") || (opt("format") != "jsonl" && opt("format") != "table")) {
        std::cerr << "sieve classify: give exactly one of --input and --db; --format is jsonl or table\n";
        return usage;
    }
    std::string crit_text(default_criteria_text()), model_text(embedded_model_text());
    using reader = boost::system::result<std::string, std::string> (*)(const std::string&);
    for (auto [key, text, read] : {std::tuple{"criteria", &crit_text, reader(read_criteria_file)},
                                   std::tuple{"model", &model_text, reader(read_model_file)}}) {
        if (opt(key).empty()) continue;
        auto t = read(opt(key));
        if (!t) { std::cerr << "sieve classify: " << t.error() << '\n'; return usage; }
        *text = std::move(*t);
    }
    auto cl = classifier::create(crit_text, model_text);
    if (!cl) { std::cerr << "sieve classify: " << cl.error() << '\n'; return usage; }
    const bool table = opt("format") == "table";
    if (table) std::cout << "id\tverdict\tscore\tconfidence\ttopics\ttitle\n";
    if (vm->count("input")) {
        classify_jsonl(opt("input"), *cl, table, exit);
    } else {
        std::vector<job> jobs;
        if (!jobs_from_db(opt("db"), jobs, exit)) return exit;
        std::vector<std::string> out;
        judging_pool pool(*cl, table);
        for (std::size_t i = 0; i < jobs.size(); i += chunk_size) {
            std::vector<job> part(std::make_move_iterator(jobs.begin() + std::ptrdiff_t(i)),
                                  std::make_move_iterator(jobs.begin() + std::ptrdiff_t(
                                      std::min(jobs.size(), i + chunk_size))));
            pool.start(part, out);
            if (!pool.wait()) exit = bad_input_line;
            print_lines(out);
        }
    }
    std::cout.flush();
    return exit;
}

} // namespace sieve::cli
