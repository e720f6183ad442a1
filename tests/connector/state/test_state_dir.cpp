// The state directory (issue 17): it and Sieve's files in it are private whatever existed before
// (directory 0700, files 0600: the store holds titles, abstracts and the user's corrections), and
// the single-instance lock holds even when the directory is deleted under a running server.
#define BOOST_TEST_MODULE state_dir
#include "connector/state/state_dir.hpp"
#include "connector/state/state_store.hpp"
#include "tests/support/server_process.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sys/stat.h>

using namespace sieve::test;
namespace fs = std::filesystem;

namespace {

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    BOOST_REQUIRE_MESSAGE(::stat(p.c_str(), &st) == 0, p.string() << " is missing");
    return st.st_mode & 0777;
}

void make_public(const fs::path& dir) {
    fs::permissions(dir, fs::perms(0755));
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file())
            fs::permissions(e.path(), fs::perms(0644));
}

} // namespace

BOOST_AUTO_TEST_CASE(an_existing_state_directory_and_its_files_are_made_private) {
    ::umask(022);
    temp_dir tmp;
    const fs::path dir = tmp.path / "state";
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms(0755));
    std::ofstream(dir / "criteria.md") << "left by an older version\n";
    fs::permissions(dir / "criteria.md", fs::perms(0644));
    {
        server_process first(dir, {"--db", (tmp.path / "none.sqlite").string()});
        BOOST_TEST(mode_of(dir) == 0700u);
        BOOST_TEST(mode_of(dir / "state.sqlite") == 0600u);
        BOOST_TEST(mode_of(dir / "state.sqlite-wal") == 0600u);
        BOOST_TEST(mode_of(dir / "state.sqlite-shm") == 0600u);
    }
    make_public(dir); // as a backup restore or another tool might leave them
    server_process again(dir, {"--db", (tmp.path / "none.sqlite").string()});
    BOOST_TEST(mode_of(dir) == 0700u);
    for (const char* name :
         {"lock", "token", "criteria.md", "state.sqlite", "state.sqlite-wal", "state.sqlite-shm"})
        BOOST_TEST(mode_of(dir / name) == 0600u, name);
}

BOOST_AUTO_TEST_CASE(a_store_opened_in_a_shared_folder_is_private) {
    ::umask(022);
    temp_dir tmp;
    auto store = sieve::state_store::open(tmp.path / "state.sqlite");
    BOOST_REQUIRE(store.has_value());
    BOOST_TEST(mode_of(tmp.path / "state.sqlite") == 0600u);
    BOOST_TEST(mode_of(tmp.path / "state.sqlite-wal") == 0600u);
    BOOST_TEST(mode_of(tmp.path / "state.sqlite-shm") == 0600u);
}

BOOST_AUTO_TEST_CASE(the_lock_survives_the_state_directory_being_deleted) {
    temp_dir tmp;
    const fs::path dir = tmp.path / "state";
    auto held = sieve::state_lock::acquire(dir);
    BOOST_REQUIRE(held.has_value());
    fs::remove_all(dir);
    auto second = sieve::state_lock::acquire(dir);
    BOOST_TEST(!second.has_value());
    if (!second)
        BOOST_TEST(second.error().find("already running") != std::string::npos, second.error());
}

BOOST_AUTO_TEST_CASE(a_second_server_is_refused_after_the_state_directory_is_deleted) {
    temp_dir tmp;
    const fs::path dir = tmp.path / "state";
    server_process first(dir, {"--db", (tmp.path / "none.sqlite").string()});
    fs::remove_all(dir);
    std::string out;
    int rc =
        run_command("timeout 20 " + env_or_fail("SIEVE_BIN") + " serve --port 0 --state-dir '" +
                        dir.string() + "' --db '" + (tmp.path / "none.sqlite").string() + "'",
                    out);
    BOOST_TEST(rc == 1, out);
    BOOST_TEST(out.find("already running") != std::string::npos, out);
    BOOST_TEST(http_call(first.port, first.token, "GET", "/v1/health").status == 200u);
}

BOOST_AUTO_TEST_CASE(the_lock_is_released_when_the_holder_goes) {
    temp_dir tmp;
    const fs::path dir = tmp.path / "state";
    {
        auto held = sieve::state_lock::acquire(dir);
        BOOST_REQUIRE(held.has_value());
    }
    auto again = sieve::state_lock::acquire(dir);
    BOOST_TEST(again.has_value());
}
