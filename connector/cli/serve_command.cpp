// sieve serve: the loopback HTTP helper the Zotero extension talks to (docs/http-api.md).
#include "classifier/embedded.hpp"
#include "connector/http/api.hpp"
#include "connector/cli/cli.hpp"
#include "connector/http/http_server.hpp"
#include "connector/jobs/job_runner.hpp"
#include "connector/zotero/library_cache.hpp"
#include "connector/llm/llm_setup.hpp"
#include "connector/state/bounded_file.hpp"
#include "connector/state/state_dir.hpp"
#include "connector/state/state_store.hpp"
#include "connector/wire/input_limits.hpp"
#include "connector/wire/number_option.hpp"
#include "connector/zotero/zotero_reader.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/program_options.hpp>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <thread>

namespace sieve::cli {

namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;
namespace net = boost::asio;

struct serve_options {
    unsigned short port = 23120;
    std::string db;
    std::string state_dir;
    std::string tag_prefix = "sieve/";
    double read_timeout = 10.0;
    std::size_t max_connections = 256;
    unsigned job_pause_ms = 0;
    std::size_t job_step = 64;
    llm_flags llm;
};

po::options_description describe(serve_options& o) {
    po::options_description d("sieve serve options");
    d.add_options()("help,h", "this text")("port", integer_option(o.port, "port", 0, 65535),
                                           "loopback port, 0-65535 (0: pick a free one)")(
        "db", po::value(&o.db), "zotero.sqlite (default $SIEVE_ZOTERO_DIR or ~/Zotero)")(
        "state-dir", po::value(&o.state_dir),
        "token, lock and state (default <Zotero data dir>/sieve)")(
        "tag-prefix", po::value(&o.tag_prefix)->default_value(o.tag_prefix),
        "prefix of every tag Sieve manages")(
        "read-timeout", po::value(&o.read_timeout)->default_value(o.read_timeout),
        "seconds allowed to send a request header, and again its body, in (0, 3600]")(
        "max-connections", integer_option(o.max_connections, "max-connections", 1, 65535),
        "open connections, 1-65535; at the cap the oldest one that has not authenticated gives "
        "way")("job-pause-ms", integer_option(o.job_pause_ms, "job-pause-ms", 0, 600000),
               "pause between steps of a bulk job, 0-600000 ms (gentler on the CPU)")(
        "job-step", integer_option(o.job_step, "job-step", 1, 65536),
        "items in a bulk job's first step, 1-65536; later steps double up to 2048");
    describe_llm_flags(d, o.llm);
    return d;
}

// Parses the options; returns an exit code when the command should stop here.
std::optional<int> parse(args a, serve_options& o) {
    auto desc = describe(o);
    po::variables_map vm;
    try {
        std::vector<std::string> argv(a.begin(), a.end());
        po::store(po::command_line_parser(argv).options(desc).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "sieve serve: " << e.what() << " (see sieve serve --help)\n";
        return usage;
    }
    if (vm.count("help")) {
        std::cout << "usage: sieve serve [options]\n\n" << desc;
        return ok;
    }
    if (!(o.read_timeout > 0) || o.read_timeout > 3600 || o.tag_prefix.empty()) {
        std::cerr << "sieve serve: --read-timeout must be in (0, 3600] and --tag-prefix "
                     "non-empty\n";
        return usage;
    }
    return std::nullopt;
}

// What the server runs with, set up before it starts listening.
struct serve_context {
    fs::path state_dir;
    std::string token;
    std::unique_ptr<library_cache> library;
    std::unique_ptr<state_store> store;
    std::shared_ptr<const classifier> clf; // null when it could not be built
    std::string clf_error;
    std::string criteria_text;
    std::string criteria_source; // "embedded" or "state"
    std::unique_ptr<llm_judge> llm; // null: local judgments only
};

// The classifier of the criteria saved by PUT /v1/criteria: a regular file within the criteria
// cap (a device or FIFO put there is refused, not read), not empty, that parses. None when there
// is no such file.
std::optional<boost::system::result<classifier, std::string>> saved_classifier(const fs::path& p,
                                                                             std::string& text) {
    using built = boost::system::result<classifier, std::string>;
    auto read = read_bounded_file(p, max_criteria_bytes, "a criteria file");
    if (!read && read.error().code == file_errc::missing)
        return std::nullopt;
    if (!read)
        return built(read.error().message);
    if (read->empty())
        return built(p.string() + " is empty");
    text = std::move(*read);
    return classifier::create(text, embedded_model_text());
}

// The criteria saved by PUT /v1/criteria when they can be read and still parse, else the
// embedded seed.
void load_classifier(serve_context& ctx) {
    fs::path saved = ctx.state_dir / "criteria.md";
    std::string text;
    if (auto c = saved_classifier(saved, text)) {
        if (*c) {
            ctx.clf = std::make_shared<const classifier>(std::move(**c));
            ctx.criteria_text = std::move(text);
            ctx.criteria_source = "state";
            return;
        }
        std::cout << "criteria: " << saved.string() << " rejected (" << c->error()
                  << "); using the embedded seed\n";
    }
    try {
        ctx.clf = std::make_shared<const classifier>(classifier::create_default());
        ctx.criteria_text = std::string(default_criteria_text());
        ctx.criteria_source = "embedded";
    } catch (const std::exception& e) {
        ctx.clf_error = e.what();
        std::cout << "classifier unavailable: " << e.what() << " (classify answers 503)\n";
    }
}

void report_library(library_cache& cache) {
    auto view = cache.get();
    if (view.library)
        std::cout << "library: " << cache.path().string() << " (" << view.library->items.size()
                  << " items)\n";
    else if (view.missing)
        std::cout << "library: none at " << cache.path().string()
                  << " (set --db or $SIEVE_ZOTERO_DIR); serving classify by inline metadata only\n";
    else
        std::cout << "library: " << cache.path().string() << " unreadable (" << view.error
                  << "); serving classify by inline metadata only\n";
}

void run_io(net::io_context& ioc) {
    for (;;) {
        try {
            ioc.run();
            return;
        } catch (const std::exception& e) {
            std::cerr << "sieve serve: internal error: " << e.what() << '\n';
        }
    }
}

int serve(const serve_options& o, serve_context& ctx) {
    net::io_context ioc(1);
    net::thread_pool pool(std::max(2u, std::thread::hardware_concurrency()));
    api handler({ctx.token, 0, o.tag_prefix, ctx.state_dir, ctx.criteria_text, ctx.criteria_source},
                ctx.library.get(), ctx.store.get(), ctx.clf, ctx.clf_error);
    server_limits limits;
    limits.read_timeout = std::chrono::milliseconds(std::int64_t(o.read_timeout * 1000));
    limits.max_connections = o.max_connections;
    std::unique_ptr<job_runner> jobs;
    if (ctx.library && ctx.store) {
        job_options jo;
        jo.tag_prefix = o.tag_prefix;
        jo.pause = std::chrono::milliseconds(o.job_pause_ms);
        jo.first_chunk = o.job_step;
        jo.llm = ctx.llm.get();
        jobs = std::make_unique<job_runner>(
            *ctx.store, *ctx.library, [&handler] { return handler.current_classifier(); }, jo);
        handler.set_jobs(jobs.get());
        if (jobs->resume())
            std::cout << "job: resumed the job that was running when the helper stopped\n";
    }
    http_server server(ioc, pool, handler, limits);
    auto port = server.listen(o.port);
    if (!port) {
        std::cerr << "sieve serve: " << port.error() << '\n';
        std::error_code ec;
        fs::remove(ctx.state_dir / "token", ec);
        return failure;
    }
    handler.set_port(*port);
    handler.set_llm(ctx.llm.get());
    if (!server.ipv6_warning().empty())
        std::cout << "note: " << server.ipv6_warning() << '\n';
    net::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int) {
        if (ec)
            return;
        std::cout << "sieve serve: stopping" << std::endl;
        server.stop();
    });
    server.start();
    std::cout << "token: " << (ctx.state_dir / "token").string() << '\n'
              << "listening: http://127.0.0.1:" << *port << "/" << std::endl;
    run_io(ioc);
    pool.join();
    if (jobs)
        jobs->stop(); // after its current step; the job resumes at the next start
    std::error_code ec;
    fs::remove(ctx.state_dir / "token", ec);
    return ok;
}

// Opens the library (when there is a database path) and the state store; reports both.
void open_data(const fs::path& db, serve_context& ctx) {
    if (!db.empty()) {
        reader_options ro;
        ro.busy_timeout = std::chrono::milliseconds(2000);
        ctx.library = std::make_unique<library_cache>(db, ro);
        report_library(*ctx.library);
    } else {
        std::cout
            << "library: none (no $HOME or $SIEVE_ZOTERO_DIR); serving inline metadata only\n";
    }
    auto store = state_store::open(ctx.state_dir / "state.sqlite");
    if (store)
        ctx.store = std::move(*store);
    else
        std::cout << "state store unavailable (" << store.error()
                  << "); no judgment cache, note records or feedback\n";
}

// The LLM judge the flags ask for (none in local mode); an exit code when they are wrong.
std::optional<int> start_llm(const llm_flags& f, serve_context& ctx) {
    auto o = llm_options_from(f, ctx.state_dir);
    auto judge = o ? start_llm_judge(*o, ctx.store.get(), ctx.clf.get(), ctx.criteria_text,
                                     std::cout)
                   : boost::system::result<std::unique_ptr<llm_judge>, std::string>(o.error());
    if (!judge) {
        std::cerr << "sieve serve: " << judge.error() << '\n';
        return usage;
    }
    ctx.llm = std::move(*judge);
    return std::nullopt;
}

} // namespace

int run_serve(args a) {
    serve_options o;
    if (auto code = parse(a, o))
        return *code;
    std::signal(SIGPIPE, SIG_IGN); // a closed stdout or socket is an error code, not a kill
    fs::path db = o.db.empty() ? default_zotero_db() : fs::path(o.db);
    serve_context ctx;
    ctx.state_dir = o.state_dir.empty() ? default_state_dir(db) : fs::path(o.state_dir);
    auto lock = state_lock::acquire(ctx.state_dir);
    if (!lock) {
        std::cerr << "sieve serve: " << lock.error() << '\n';
        return failure;
    }
    std::cout << "sieve serve " SIEVE_VERSION "\nstate: " << ctx.state_dir.string() << '\n';
    load_classifier(ctx);
    open_data(db, ctx);
    if (auto code = start_llm(o.llm, ctx))
        return *code;
    auto token = random_token();
    if (!token) {
        std::cerr << "sieve serve: cannot make a token: " << token.error().message() << '\n';
        return failure;
    }
    ctx.token = std::move(*token);
    if (auto w = write_token(ctx.state_dir, ctx.token); !w) {
        std::cerr << "sieve serve: " << w.error() << '\n';
        return failure;
    }
    return serve(o, ctx);
}

} // namespace sieve::cli
