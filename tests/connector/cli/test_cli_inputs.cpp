// Input files and numbers on the command line (issue 17): criteria, model and JSONL files must
// be regular files within documented caps (a device, a FIFO or a directory is refused at once
// with exit 2, never read until memory runs out or waited on), an over-long JSONL line costs no
// more memory than the cap, an empty criteria file is called empty, and a negative or
// out-of-range number is refused with the option's name and range instead of wrapping around.
// Each run has a time limit and an address-space limit, so a regression fails instead of hanging
// the machine.
#define BOOST_TEST_MODULE cli_inputs
#include "tests/support/cli_test_util.hpp"
#include "tests/support/server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace sieve_test;

namespace {

struct measured {
    int code = -1;       // exit status; -1: killed at the time limit or by a signal
    long max_rss_kb = 0; // the child's peak resident set
    std::string out, err;
};

// Runs `sieve <args>` directly (no shell), stdin /dev/null, under a 4 GiB address-space limit,
// killed after `limit`.
measured run_limited(const temp_dir& tmp, const std::vector<std::string>& args,
                     std::chrono::seconds limit = std::chrono::seconds(15)) {
    const char* bin = std::getenv("SIEVE_BIN");
    BOOST_REQUIRE(bin != nullptr);
    const fs::path out = tmp / "out.txt", err = tmp / "err.txt";
    pid_t pid = ::fork();
    BOOST_REQUIRE(pid >= 0);
    if (pid == 0) {
        rlimit as{4ul << 30, 4ul << 30};
        ::setrlimit(RLIMIT_AS, &as);
        int in = ::open("/dev/null", O_RDONLY);
        int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(in, 0);
        ::dup2(o, 1);
        ::dup2(e, 2);
        std::vector<std::string> all{bin};
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : all)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(bin, argv.data());
        ::_exit(127);
    }
    measured m;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    rusage ru{};
    while (::wait4(pid, &status, WNOHANG, &ru) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::wait4(pid, &status, 0, &ru);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    m.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    m.max_rss_kb = ru.ru_maxrss;
    m.out = file_bytes(out);
    m.err = file_bytes(err);
    return m;
}

const std::string one_paper =
    R"({"id":"p1","title":"Sparse mixture-of-experts transformers","abstract":"We prune experts."})";

bool says(const measured& m, const std::string& text) {
    return m.err.find(text) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_CASE(input_that_is_not_a_regular_file_is_refused_at_once) {
    temp_dir tmp;
    BOOST_REQUIRE(::mkfifo((tmp / "fifo").c_str(), 0600) == 0);
    for (const std::string& path : {std::string("/dev/zero"), (tmp / "fifo").string()}) {
        for (const char* cmd : {"classify", "eval"}) {
            const measured m = run_limited(tmp, {cmd, "--input", path});
            BOOST_TEST(m.code == 2, cmd << ' ' << path << ": " << m.code << ' ' << m.err);
            BOOST_TEST(says(m, "not a regular file"), m.err);
            BOOST_TEST(m.out.empty());
        }
        const measured t =
            run_limited(tmp, {"train", "--input", path, "--out", (tmp / "model.txt").string()});
        BOOST_TEST(t.code == 2, path << ": " << t.err);
        BOOST_TEST(says(t, "not a regular file"), t.err);
        BOOST_TEST(!fs::exists(tmp / "model.txt"));
    }
}

BOOST_AUTO_TEST_CASE(an_input_directory_is_refused_with_exit_2) {
    temp_dir tmp;
    fs::create_directories(tmp / "papers");
    const measured m = run_limited(tmp, {"classify", "--input", (tmp / "papers").string()});
    BOOST_TEST(m.code == 2, m.code << ' ' << m.err);
    BOOST_TEST(says(m, "cannot read " + (tmp / "papers").string()), m.err);
    BOOST_TEST(says(m, "directory"), m.err);
    BOOST_TEST(m.out.empty());
}

BOOST_AUTO_TEST_CASE(criteria_and_model_files_are_regular_files_within_their_caps) {
    temp_dir tmp;
    write_file(tmp / "in.jsonl", one_paper + "\n");
    const std::string in = (tmp / "in.jsonl").string();
    BOOST_REQUIRE(::mkfifo((tmp / "fifo").c_str(), 0600) == 0);
    for (const char* option : {"--criteria", "--model"})
        for (const std::string& path :
             {std::string("/dev/zero"), (tmp / "fifo").string(), tmp.path().string()}) {
            const measured m = run_limited(tmp, {"classify", "--input", in, option, path});
            BOOST_TEST(m.code == 2, option << ' ' << path << ": " << m.err);
            BOOST_TEST(says(m, "not a regular file"), m.err);
        }
    // Criteria: at most 256 KiB. A file at the cap is read; one byte more is refused.
    std::string text = file_bytes(shared_dir() / "criteria" / "seed-criteria.md");
    const std::string pad = "   - Relevant: sparse attention kernels\n";
    while (text.size() + pad.size() <= (256u << 10))
        text += pad;
    text += std::string((256u << 10) - text.size() - 1, ' ') + "\n";
    BOOST_REQUIRE(text.size() == (256u << 10));
    write_file(tmp / "at-cap.md", text);
    write_file(tmp / "over-cap.md", text + "\n");
    const measured at =
        run_limited(tmp, {"classify", "--input", in, "--criteria", (tmp / "at-cap.md").string()});
    BOOST_TEST(at.code == 0, at.err);
    const measured over =
        run_limited(tmp, {"classify", "--input", in, "--criteria", (tmp / "over-cap.md").string()});
    BOOST_TEST(over.code == 2);
    BOOST_TEST(says(over, "256 KiB"), over.err);
    BOOST_TEST(over.out.empty());
}

BOOST_AUTO_TEST_CASE(an_over_long_jsonl_line_is_reported_and_memory_stays_bounded) {
    temp_dir tmp;
    std::string big = R"({"id":"big","title":"Huge","abstract":")";
    while (big.size() < (50u << 20))
        big += "sparse experts prune attention heads ";
    big += "\"}";
    write_file(tmp / "in.jsonl", one_paper + "\n" + big + "\n" + one_paper + "\n");
    const measured m = run_limited(tmp, {"classify", "--input", (tmp / "in.jsonl").string()},
                                   std::chrono::seconds(60));
    BOOST_TEST(m.code == 4, m.code << ' ' << m.err);
    const auto lines = lines_of(m.out);
    BOOST_REQUIRE(lines.size() == 3u);
    BOOST_TEST(lines[0].find("\"verdict\"") != std::string::npos);
    BOOST_TEST(lines[1].find("\"line\":2") != std::string::npos, lines[1]);
    BOOST_TEST(lines[1].find("1 MiB") != std::string::npos, lines[1]);
    BOOST_TEST(lines[2].find("\"verdict\"") != std::string::npos);
    BOOST_TEST(m.max_rss_kb < 250 * 1024, "peak RSS " << m.max_rss_kb << " KB");
    // eval and train read the same lines: the over-long one is an error naming the line.
    const measured e = run_limited(tmp, {"eval", "--input", (tmp / "in.jsonl").string()},
                                   std::chrono::seconds(60));
    BOOST_TEST(e.code == 2);
    BOOST_TEST(says(e, "line 2"), e.err);
    BOOST_TEST(says(e, "1 MiB"), e.err);
}

BOOST_AUTO_TEST_CASE(an_empty_criteria_file_is_called_empty) {
    temp_dir tmp;
    write_file(tmp / "in.jsonl", one_paper + "\n");
    write_file(tmp / "empty.md", "");
    for (const char* cmd : {"classify", "eval"}) {
        const measured m = run_limited(tmp, {cmd, "--input", (tmp / "in.jsonl").string(),
                                             "--criteria", (tmp / "empty.md").string()});
        BOOST_TEST(m.code == 2);
        BOOST_TEST(says(m, (tmp / "empty.md").string() + " is empty"), cmd << ": " << m.err);
        BOOST_TEST(!says(m, "cannot read"), m.err);
    }
}

BOOST_AUTO_TEST_CASE(serve_with_saved_criteria_that_are_not_a_regular_file_still_listens) {
    for (const std::string& target :
         {std::string("/dev/zero"), std::string("fifo"), std::string("empty")}) {
        sieve::test::temp_dir state;
        const fs::path saved = state.path / "criteria.md";
        if (target == "fifo")
            BOOST_REQUIRE(::mkfifo(saved.c_str(), 0600) == 0);
        else if (target == "empty")
            write_file(saved, "");
        else
            fs::create_symlink(target, saved);
        sieve::test::server_process server(state.path,
                                           {"--db", (state.path / "none.sqlite").string()});
        BOOST_TEST(server.output.find("criteria: " + saved.string() + " rejected") !=
                       std::string::npos,
                   server.output);
        auto r = sieve::test::http_call(server.port, server.token, "GET", "/v1/criteria");
        BOOST_TEST(r.status == 200u);
        BOOST_TEST(r.body.find("\"source\":\"embedded\"") != std::string::npos, r.body);
    }
}

BOOST_AUTO_TEST_CASE(negative_or_out_of_range_numbers_are_refused_with_their_range) {
    temp_dir tmp;
    const std::vector<std::string> base{"serve", "--state-dir", (tmp / "state").string(), "--db",
                                        (tmp / "none.sqlite").string()};
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--port", "-1"}, "--port"},
        {{"--port", "-65535"}, "--port"},
        {{"--port", "65536"}, "--port"},
        {{"--port", "80x"}, "--port"},
        {{"--max-connections", "-1"}, "--max-connections"},
        {{"--max-connections", "0"}, "--max-connections"},
        {{"--job-step", "-5"}, "--job-step"},
        {{"--job-pause-ms", "-1"}, "--job-pause-ms"},
        {{"--llm-concurrency", "-4294967295"}, "--llm-concurrency"},
        {{"--llm-batch", "-1"}, "--llm-batch"}};
    for (const auto& [extra, option] : cases) {
        auto args = base;
        args.insert(args.end(), extra.begin(), extra.end());
        const measured m = run_limited(tmp, args, std::chrono::seconds(5));
        BOOST_TEST(m.code == 2, extra[0] << ' ' << extra[1] << " -> " << m.code << ' ' << m.err);
        BOOST_TEST(says(m, option + " must be"), m.err);
        BOOST_TEST(m.out.find("listening") == std::string::npos, m.out);
    }
}
