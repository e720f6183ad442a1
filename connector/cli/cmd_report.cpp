// sieve report: one self-contained HTML page with the shape of a library's judgments (charts of
// verdicts per topic, scores, items added per month, application fields; what to read next per
// topic; versions and dates). docs/report.md.
#include "classifier/classifier.hpp"
#include "classifier/embedded.hpp"
#include "connector/cli/cli_options.hpp"
#include "connector/cli/corpus_io.hpp"
#include "connector/cli/criteria_file.hpp"
#include "connector/jobs/report_source.hpp"
#include "connector/state/state_dir.hpp"
#include "connector/wire/report_input.hpp"
#include "connector/wire/report_page.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace sieve::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

constexpr const char* synopsis =
    "sieve report (--db PATH | --input FILE.jsonl) --out report.html [--criteria FILE]\n"
    "             [--state-dir DIR] [--library ID [--collection KEY]] [--tag-prefix P]";

struct report_options {
    std::string db, input, out, criteria, model, state_dir, tag_prefix, snapshot_dir, title;
    std::optional<std::int64_t> library;
    std::string collection;
};

po::options_description describe(report_options& o) {
    po::options_description d("options");
    d.add_options()("db", po::value(&o.db),
                    "a Zotero database (zotero.sqlite), read through a snapshot")(
        "input", po::value(&o.input),
        "JSONL: judgments as `sieve classify` writes them, or papers to judge")(
        "out", po::value(&o.out), "the HTML file to write")(
        "criteria", po::value(&o.criteria),
        "criteria file (default: <state-dir>/criteria.md when present, else the embedded seed)")(
        "model", po::value(&o.model), "model file (default: the embedded model)")(
        "state-dir", po::value(&o.state_dir),
        "the judgments of `sieve serve` (default: the one beside --db, when it has a store)")(
        "library", po::value<std::int64_t>(), "only this library (Zotero libraryID)")(
        "collection", po::value(&o.collection), "only this collection (key; needs --library)")(
        "tag-prefix", po::value(&o.tag_prefix)->default_value("sieve/"),
        "the tag prefix `sieve serve` uses (Sieve's own tags are no evidence)")(
        "snapshot-dir", po::value(&o.snapshot_dir),
        "where the private copy of the database is kept (default: ~/.cache/sieve)")(
        "title", po::value(&o.title), "the report's title (default: the library or file name)");
    return d;
}

// The criteria and model text: --criteria, else the state directory's saved criteria (what
// `sieve serve` judges with), else the embedded seed.
boost::system::result<classifier, std::string> make_classifier(const report_options& o) {
    std::string crit(default_criteria_text()), model(embedded_model_text());
    std::string crit_file = o.criteria;
    std::error_code ec;
    if (crit_file.empty() && !o.state_dir.empty() &&
        fs::is_regular_file(fs::path(o.state_dir) / "criteria.md", ec))
        crit_file = (fs::path(o.state_dir) / "criteria.md").string();
    if (!crit_file.empty()) {
        auto t = read_criteria_file(crit_file);
        if (!t)
            return {boost::system::in_place_error, t.error()};
        crit = std::move(*t);
    }
    if (!o.model.empty()) {
        auto t = read_model_file(o.model);
        if (!t)
            return {boost::system::in_place_error, t.error()};
        model = std::move(*t);
    }
    auto cl = classifier::create(crit, model);
    if (!cl)
        return {boost::system::in_place_error, cl.error()};
    return std::move(*cl);
}

// Writes the page beside `out` and renames it into place: a failed run leaves no partial file.
bool write_page(const std::string& out, const std::string& html) {
    const fs::path tmp = fs::path(out).concat(".partial");
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        f << html;
        if (!f.flush()) {
            std::cerr << "sieve report: cannot write " << out << '\n';
            return false;
        }
    }
    std::error_code ec;
    fs::rename(tmp, out, ec);
    if (ec) {
        fs::remove(tmp, ec);
        std::cerr << "sieve report: cannot write " << out << ": " << ec.message() << '\n';
        return false;
    }
    return true;
}

int from_db(const report_options& o, const classifier& cl, report_build& build) {
    reader_options ro;
    ro.snapshot_dir = o.snapshot_dir;
    std::string detail;
    auto lib = read_zotero_library(o.db, ro, &detail);
    if (!lib) {
        std::cerr << "sieve report: " << (detail.empty() ? lib.error().message() : detail) << '\n';
        return database;
    }
    std::unique_ptr<stored_judgments> store;
    if (!o.state_dir.empty()) {
        auto s = stored_judgments::open(fs::path(o.state_dir) / "state.sqlite");
        if (s)
            store = std::move(*s);
        else
            std::cerr << "sieve report: " << s.error() << "; judging every item now\n";
    }
    auto b =
        collect_library_report(*lib, {o.library, o.collection}, cl, {o.tag_prefix, store.get()});
    if (!b) {
        std::cerr << "sieve report: " << b.error() << '\n';
        return usage;
    }
    build = std::move(*b);
    build.context.source = "Zotero database " + fs::absolute(o.db).lexically_normal().string();
    return ok;
}

// Judgment or paper lines; papers are judged. A bad line is reported and nothing is written.
int from_file(const report_options& o, const classifier& cl, report_build& build) {
    auto file = read_jsonl(o.input); // a regular file within the JSONL caps
    if (!file) {
        std::cerr << "sieve report: " << file.error() << '\n';
        return usage;
    }
    std::vector<paper> papers;
    std::vector<bool> todo;
    std::size_t bad = 0;
    for (std::size_t i = 0; i < file->lines.size(); ++i) {
        const std::string& line = file->lines[i];
        const std::size_t line_no = file->numbers[i];
        auto r = parse_report_line(line);
        if (!r) {
            if (++bad <= 10)
                std::cerr << "sieve report: " << o.input << ": line " << line_no << ": "
                          << r.error() << '\n';
            continue;
        }
        build.items.push_back(std::move(r->item));
        todo.push_back(r->paper.has_value());
        papers.push_back(r->paper ? std::move(*r->paper) : paper{});
    }
    if (bad) {
        std::cerr << "sieve report: " << bad << " bad line(s); no report written\n";
        return bad_input_line;
    }
    judge_report_items(cl, papers, todo, build.items);
    auto& c = build.context;
    c.judged_now = static_cast<std::size_t>(std::count(todo.begin(), todo.end(), true));
    c.title = fs::path(o.input).filename().string();
    c.source = "file " + fs::absolute(o.input).lexically_normal().string();
    for (const auto& t : cl.active_criteria().topics)
        c.topics.push_back(t.name);
    c.model_version = cl.model_version();
    c.criteria_version = cl.criteria_version();
    c.generated_at = unix_seconds();
    c.reading_known = false;
    return ok;
}

// Checks the combination of options; fills defaults. Prints why and returns false when wrong.
bool check_options(const po::variables_map& vm, report_options& o) {
    if (vm.count("library"))
        o.library = vm["library"].as<std::int64_t>();
    const char* why = nullptr;
    if (o.db.empty() == o.input.empty())
        why = "give exactly one of --db and --input";
    else if (o.out.empty())
        why = "--out FILE is required";
    else if (!o.collection.empty() && !o.library)
        why = "--collection needs --library";
    else if (!o.input.empty() && (o.library || !o.state_dir.empty()))
        why = "--library, --collection and --state-dir go with --db";
    else if (o.tag_prefix.empty())
        why = "--tag-prefix must not be empty";
    if (why) {
        std::cerr << "sieve report: " << why << " (see sieve report --help)\n";
        return false;
    }
    std::error_code ec;
    if (!o.db.empty() && o.state_dir.empty()) {
        fs::path d = default_state_dir(o.db);
        if (fs::is_regular_file(d / "state.sqlite", ec))
            o.state_dir = d.string();
    }
    return true;
}

} // namespace

int run_report(args a) {
    report_options o;
    int exit = ok;
    auto vm = parse_options(a, describe(o), synopsis, exit);
    if (!vm)
        return exit;
    if (!check_options(*vm, o))
        return usage;
    auto cl = make_classifier(o);
    if (!cl) {
        std::cerr << "sieve report: " << cl.error() << '\n';
        return usage;
    }
    report_build build;
    exit = o.db.empty() ? from_file(o, *cl, build) : from_db(o, *cl, build);
    if (exit != ok)
        return exit;
    build.context.sieve_version = SIEVE_VERSION;
    if (!o.title.empty())
        build.context.title = o.title;
    const std::string html = render_report_page(build_report_data(build.items, build.context));
    if (!write_page(o.out, html))
        return usage;
    std::printf(
        "report: %zu items (%zu judgments from the state store, %zu made now), %s, %zu KB\n",
        build.items.size(), build.context.from_cache, build.context.judged_now, o.out.c_str(),
        html.size() / 1024);
    return ok;
}

} // namespace sieve::cli
