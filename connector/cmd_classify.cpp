// sieve classify: one JSON judgment per input line (or per item of a Zotero library), in order.
#include "classifier/classifier.hpp"
#include "classifier/embedded.hpp"
#include "connector/cli_options.hpp"
#include "connector/corpus_io.hpp"
#include "connector/criteria_file.hpp"
#include "connector/paper_json.hpp"
#include "connector/zotero_reader.hpp"

#include <cstdio>
#include <iostream>
#include <thread>

namespace sieve::cli {

namespace po = boost::program_options;

namespace {

struct job {
    std::string id;
    paper p;
    std::string error; // non-empty: the line could not be parsed
    std::size_t line = 0;
};

std::string render(const job& j, const classifier& cl, bool table) {
    if (!j.error.empty()) {
        boost::json::object e{{"line", j.line}, {"error", j.error}};
        if (!j.id.empty()) e["id"] = j.id;
        return boost::json::serialize(e);
    }
    judgment jd = cl.judge(j.p);
    if (!table) return boost::json::serialize(judgment_json(j.id, jd, cl.active_criteria()));
    std::string topics;
    for (const auto& t : jd.topics) topics += (topics.empty() ? "" : "; ") + t;
    char buf[64];
    std::snprintf(buf, sizeof buf, "\t%s\t%d\t%.2f\t", std::string(to_string(jd.label)).c_str(),
                  jd.score, jd.confidence);
    return j.id + buf + topics + "\t" + j.p.title.substr(0, 80);
}

// Judges jobs on two threads in chunks and prints them in input order.
void judge_and_print(const std::vector<job>& jobs, const classifier& cl, bool table) {
    constexpr std::size_t chunk = 2048;
    std::vector<std::string> out(chunk);
    if (table) std::cout << "id\tverdict\tscore\tconfidence\ttopics\ttitle\n";
    for (std::size_t base = 0; base < jobs.size(); base += chunk) {
        std::size_t n = std::min(chunk, jobs.size() - base);
        auto work = [&](std::size_t from) {
            for (std::size_t k = from; k < n; k += 2) out[k] = render(jobs[base + k], cl, table);
        };
        std::thread t(work, 1);
        work(0);
        t.join();
        for (std::size_t k = 0; k < n; ++k) std::cout << out[k] << '\n';
    }
    std::cout.flush();
}

bool jobs_from_jsonl(const std::string& path, std::vector<job>& jobs, int& exit) {
    auto f = read_jsonl(path);
    if (!f) { std::cerr << "sieve classify: " << f.error() << '\n'; exit = usage; return false; }
    jobs.resize(f->lines.size());
    for (std::size_t i = 0; i < f->lines.size(); ++i) {
        jobs[i].line = i + 1;
        auto p = parse_paper_line(f->lines[i]);
        if (!p) { jobs[i].error = p.error(); exit = bad_input_line; continue; }
        jobs[i].id = p->p.id;
        jobs[i].p = std::move(p->p);
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
        ("input", po::value<std::string>(), "JSONL, one paper per line: id, title, abstract, ...")
        ("db", po::value<std::string>(), "a Zotero database (zotero.sqlite), read-only")
        ("criteria", po::value<std::string>(), "criteria file (default: the embedded seed)")
        ("model", po::value<std::string>(), "model file (default: the embedded model)")
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
    for (auto [key, text] : {std::pair{"criteria", &crit_text}, std::pair{"model", &model_text}}) {
        if (opt(key).empty()) continue;
        auto t = read_text_file(opt(key));
        if (!t) { std::cerr << "sieve classify: " << t.error() << '\n'; return usage; }
        *text = std::move(*t);
    }
    auto cl = classifier::create(crit_text, model_text);
    if (!cl) { std::cerr << "sieve classify: " << cl.error() << '\n'; return usage; }
    std::vector<job> jobs;
    bool read = vm->count("db") ? jobs_from_db(opt("db"), jobs, exit)
                                : jobs_from_jsonl(opt("input"), jobs, exit);
    if (!read) return exit;
    judge_and_print(jobs, *cl, opt("format") == "table");
    return exit;
}

} // namespace sieve::cli
