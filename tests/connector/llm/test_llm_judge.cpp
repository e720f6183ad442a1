// Unit tests of connector/llm/llm_client and connector/llm/llm_judge against a local stand-in LLM server
// (fake_llm_server): 429 with Retry-After, timeouts, malformed output, partial batches, the
// daily token budget, hybrid selection, the cache, hostile replies.
#define BOOST_TEST_MODULE llm_judge
#include "connector/llm/llm_client.hpp"
#include "connector/llm/llm_judge.hpp"
#include "connector/llm/llm_prompt.hpp"
#include "tests/support/fake_llm_server.hpp"
#include "tests/support/server_process.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

BOOST_TEST_DONT_PRINT_LOG_VALUE(sieve::verdict)

using namespace sieve;
using namespace sieve::test;
using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

namespace {

const classifier& clf() {
    static const classifier c = classifier::create_default();
    return c;
}

std::vector<llm_judge::task> tasks(std::size_t n, const std::string& tag = "") {
    std::vector<llm_judge::task> out;
    for (std::size_t i = 0; i < n; ++i) {
        paper p{"id" + std::to_string(i),
                "Paper number " + std::to_string(i) + tag + " on sparse experts",
                "We study mixture-of-experts routing " + std::to_string(i) + tag + ".",
                "",
                "",
                {}};
        judgment local = clf().judge(p);
        out.push_back({std::move(p), std::move(local)});
    }
    return out;
}

std::unique_ptr<llm_judge> make_judge(const fake_llm_server& s, llm_options o = {},
                                      state_store* store = nullptr) {
    o.url = s.url();
    o.model = "fake-model";
    if (o.mode == llm_mode::local)
        o.mode = llm_mode::llm;
    auto j = llm_judge::create(o, store);
    BOOST_REQUIRE_MESSAGE(j, (j ? "" : j.error()));
    (*j)->use_criteria(clf().active_criteria(), std::string(default_criteria_text()));
    return std::move(*j);
}

// Submits, waits for all, returns the judgments in order.
std::vector<judgment> judge_all(llm_judge& j, std::vector<llm_judge::task> ts) {
    std::vector<std::string> keys;
    for (const auto& t : ts)
        keys.push_back(j.key(t.p, clf()));
    j.submit(ts, clf());
    j.wait(keys, steady::now() + std::chrono::seconds(20));
    std::vector<judgment> out;
    for (const auto& t : ts) {
        auto r = j.lookup(t.p, clf());
        BOOST_REQUIRE(r);
        out.push_back(*r);
    }
    return out;
}

bool is_fallback(const judgment& j) {
    return j.judge.find("LLM fallback") != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_CASE(url_parsing) {
    auto e = parse_llm_url("https://api.example.com/v1/");
    BOOST_REQUIRE(e);
    BOOST_TEST(e->tls);
    BOOST_TEST(e->port == "443");
    BOOST_TEST(e->path == "/v1");
    auto v6 = parse_llm_url("http://[::1]:8080");
    BOOST_REQUIRE(v6);
    BOOST_TEST(v6->host == "::1");
    BOOST_TEST(v6->port == "8080");
    BOOST_TEST(!parse_llm_url("ftp://x/v1"));
    BOOST_TEST(!parse_llm_url("http://user:secret@host/v1"));
    BOOST_TEST(!parse_llm_url("http://host:port/v1"));
}

BOOST_AUTO_TEST_CASE(client_honours_retry_after_on_429) {
    fake_llm_server s([](const fake_llm_request&, int call) {
        if (call == 0)
            return fake_llm_reply{429, "{\"error\": \"slow down\"}", {{"Retry-After", "1"}}, {}};
        return fake_llm_reply{200, chat_response("hello", 7, 3), {}, {}};
    });
    llm_client c(*parse_llm_url(s.url()), "sk-test",
                 {milliseconds(5000), 3, std::chrono::seconds(5)});
    std::atomic<bool> stop{false};
    auto t0 = steady::now();
    auto r = c.post("{}", stop);
    BOOST_REQUIRE(r);
    BOOST_TEST(r->content == "hello");
    BOOST_TEST(r->prompt_tokens == 7);
    BOOST_TEST(s.calls() == 2);
    BOOST_TEST((steady::now() - t0 >= milliseconds(950)));
    BOOST_TEST(s.requests().at(0).authorization == "Bearer sk-test");
    BOOST_TEST(s.requests().at(0).target == "/v1/chat/completions");
}

BOOST_AUTO_TEST_CASE(client_times_out_and_gives_up_on_errors) {
    fake_llm_server slow([](const fake_llm_request&, int) {
        return fake_llm_reply{200, chat_response("late"), {}, milliseconds(3000)};
    });
    llm_client c(*parse_llm_url(slow.url()), "", {milliseconds(400), 1, std::chrono::seconds(1)});
    std::atomic<bool> stop{false};
    auto t0 = steady::now();
    auto r = c.post("{}", stop);
    BOOST_REQUIRE(!r);
    BOOST_TEST(r.error().status == 0u);
    BOOST_TEST(r.error().message.find("timed out") != std::string::npos);
    BOOST_TEST((steady::now() - t0 < milliseconds(1500)));

    fake_llm_server broken([](const fake_llm_request&, int) {
        return fake_llm_reply{503, "overloaded", {}, {}};
    });
    llm_client b(*parse_llm_url(broken.url()), "",
                 {milliseconds(2000), 2, std::chrono::seconds(1)});
    auto e = b.post("{}", stop);
    BOOST_REQUIRE(!e);
    BOOST_TEST(e.error().status == 503u);
    BOOST_TEST(broken.calls() == 2);
    BOOST_TEST(!parse_chat_response("{\"choices\": []}"));
}

BOOST_AUTO_TEST_CASE(batches_and_retries_missing_papers_once) {
    // First request: answers only even-numbered papers; later requests: everything.
    fake_llm_server s([](const fake_llm_request& r, int call) {
        auto keep = [&](const fake_paper& p) { return call > 0 || (p.id.back() - '0') % 2 == 0; };
        return fake_llm_reply{
            200, chat_response(answer_papers(r, "relevant", "Model Architecture", keep)), {}, {}};
    });
    llm_options o;
    o.concurrency = 1;
    auto j = make_judge(s, o);
    auto out = judge_all(*j, tasks(8));
    for (const auto& x : out) {
        BOOST_TEST(x.judge == "fake-model (LLM)");
        BOOST_TEST(x.reason == "The test server says so.");
        BOOST_TEST(x.note_html.find("fake-model (LLM)") != std::string::npos);
    }
    BOOST_TEST(s.calls() == 2);
    BOOST_TEST(s.requests().at(0).papers.size() == 8u);
    BOOST_TEST(s.requests().at(1).papers.size() == 4u); // only the missing ones again
}

BOOST_AUTO_TEST_CASE(malformed_output_falls_back_to_local_marked) {
    fake_llm_server s([](const fake_llm_request& r, int) {
        // p1 never answered; everything else garbage except p2.
        auto keep = [](const fake_paper& p) { return p.id == "p2"; };
        std::string content = r.papers.size() > 1
                                  ? "Sure! " + answer_papers(r, "irrelevant", "", keep)
                                  : "I am unable to comply.";
        return fake_llm_reply{200, chat_response(content), {}, {}};
    });
    auto j = make_judge(s);
    auto ts = tasks(2);
    auto out = judge_all(*j, ts);
    BOOST_TEST(is_fallback(out[0]));
    BOOST_TEST(out[0].label == ts[0].local.label);
    BOOST_TEST(out[0].note_html.find("LLM fallback") != std::string::npos);
    BOOST_TEST(out[1].judge == "fake-model (LLM)");
    BOOST_TEST(s.calls() == 2);
    BOOST_TEST(j->health().at("fallbacks") == 1);
}

BOOST_AUTO_TEST_CASE(daily_token_budget_stops_requests) {
    fake_llm_server s([](const fake_llm_request& r, int) {
        return fake_llm_reply{200, chat_response(answer_papers(r), 40000, 1000), {}, {}};
    });
    llm_options o;
    o.concurrency = 1;
    o.batch = 4;
    o.daily_tokens = 30000; // the first request fits, its reported use exhausts the budget
    auto j = make_judge(s, o);
    auto out = judge_all(*j, tasks(8));
    BOOST_TEST(s.calls() == 1);
    int fell = 0;
    for (const auto& x : out)
        if (is_fallback(x)) {
            ++fell;
            BOOST_TEST(x.judge.find("budget") != std::string::npos);
        }
    BOOST_TEST(fell == 4);
    auto h = j->health();
    BOOST_TEST(h.at("budget_exhausted") == true);
    BOOST_TEST(h.at("tokens_today").at("prompt") == 40000);
}

// Concurrent workers reserve their requests' estimated tokens: with room for one request at a
// time, four workers send one after another, never two at once, and wait rather than fall back.
BOOST_AUTO_TEST_CASE(budget_reservations_keep_concurrent_workers_within_it) {
    std::atomic<int> now{0}, most{0};
    fake_llm_server s([&](const fake_llm_request& r, int) {
        int n = ++now;
        for (int m = most; n > m && !most.compare_exchange_weak(m, n);) {
        }
        std::this_thread::sleep_for(milliseconds(150));
        --now;
        return fake_llm_reply{200, chat_response(answer_papers(r), 10, 10), {}, {}};
    });
    auto ts = tasks(16);
    std::vector<const paper*> first;
    for (std::size_t i = 0; i < 4; ++i)
        first.push_back(&ts[i].p);
    const auto one = estimate_tokens(build_llm_request("fake-model", default_criteria_text(),
                                                       clf().active_criteria(), first)) +
                     4 * 200;
    llm_options o;
    o.concurrency = 4;
    o.batch = 4;
    o.daily_tokens = one * 3 / 2; // one reservation fits, two do not
    auto j = make_judge(s, o);
    auto out = judge_all(*j, std::move(ts));
    BOOST_TEST(most == 1);
    BOOST_TEST(s.calls() == 4); // each answer used 20 tokens: the next request fits again
    for (const auto& x : out)
        BOOST_TEST(!is_fallback(x), x.judge); // waited for room, never gave up
    BOOST_TEST(j->health().at("tokens_today").at("prompt").to_number<std::int64_t>() ==
               10 * s.calls());
}

// HTTPS endpoints: the server's certificate must chain to a trusted one (OpenSSL's default
// paths, here $SSL_CERT_FILE) and name the host of the URL; otherwise nothing is sent.
BOOST_AUTO_TEST_CASE(https_endpoints_are_verified) {
    const auto ca = std::filesystem::temp_directory_path() /
                    ("sieve-test-ca-" + std::to_string(::getpid()) + ".pem");
    auto trust = [&](const tls_identity& id) {
        std::ofstream(ca, std::ios::trunc) << id.cert_pem;
        ::setenv("SSL_CERT_FILE", ca.c_str(), 1); // read when a judge's client is made
    };
    const tls_identity good = make_self_signed("localhost");
    fake_llm_server s(
        [](const fake_llm_request& r, int) {
            return fake_llm_reply{200, chat_response(answer_papers(r)), {}, {}};
        },
        good);
    BOOST_TEST(s.url().rfind("https://localhost:", 0) == 0);
    llm_options o;
    o.max_attempts = 1;

    trust(good);
    auto out = judge_all(*make_judge(s, o), tasks(2, "tls"));
    BOOST_TEST(out[0].judge == "fake-model (LLM)");
    BOOST_TEST(out[1].judge == "fake-model (LLM)");
    BOOST_TEST(s.calls() == 1);

    trust(make_self_signed("localhost")); // another certificate: not the server's
    auto untrusted = judge_all(*make_judge(s, o), tasks(1, "untrusted"));
    BOOST_TEST(is_fallback(untrusted[0]));
    BOOST_TEST(untrusted[0].judge.find("TLS") != std::string::npos, untrusted[0].judge);

    const tls_identity elsewhere = make_self_signed("sieve.invalid");
    fake_llm_server wrong_name(
        [](const fake_llm_request& r, int) {
            return fake_llm_reply{200, chat_response(answer_papers(r)), {}, {}};
        },
        elsewhere);
    trust(elsewhere); // trusted, but for another host name
    auto mismatch = judge_all(*make_judge(wrong_name, o), tasks(1, "mismatch"));
    BOOST_TEST(is_fallback(mismatch[0]));
    BOOST_TEST(s.calls() == 1);
    BOOST_TEST(wrong_name.calls() == 0);
    ::unsetenv("SSL_CERT_FILE");
    std::filesystem::remove(ca);
}

BOOST_AUTO_TEST_CASE(hostile_reply_stays_in_vocabulary) {
    fake_llm_server s([](const fake_llm_request& r, int) {
        std::string c = "{\"papers\": [";
        for (std::size_t i = 0; i < r.papers.size(); ++i)
            c += std::string(i ? "," : "") + "{\"id\": \"" + r.papers[i].id +
                 "\", \"verdict\": \"relevant\", \"topics\": [\"sieve/relevant\", \"Pwned\", "
                 "\"ML Systems\"], \"reason\": \"</div><script>x</script>\", \"evidence\": "
                 "[\"text that is not in the paper\"]}";
        return fake_llm_reply{200, chat_response(c + "]}"), {}, {}};
    });
    auto j = make_judge(s);
    for (const auto& x : judge_all(*j, tasks(3))) {
        BOOST_TEST(x.topics == std::vector<std::string>{"ML Systems"});
        BOOST_TEST(x.evidence.empty());
        BOOST_TEST(x.note_html.find("<script>") == std::string::npos);
        BOOST_TEST(x.note_html.find("Pwned") == std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(hybrid_sends_only_unsure_papers_and_cache_survives_restart) {
    temp_dir dir;
    auto store = state_store::open(dir.path / "state.sqlite");
    BOOST_REQUIRE(store);
    fake_llm_server s([](const fake_llm_request& r, int) {
        return fake_llm_reply{200, chat_response(answer_papers(r)), {}, {}};
    });
    llm_options o;
    o.mode = llm_mode::hybrid;
    o.threshold = 0.99;
    auto ts = tasks(6, " cache");
    std::size_t unsure = 0;
    for (const auto& t : ts)
        unsure += t.local.confidence < o.threshold;
    BOOST_REQUIRE(unsure > 0u);
    {
        auto j = make_judge(s, o, store->get());
        judgment sure = ts[0].local;
        sure.confidence = 1.0;
        BOOST_TEST(!j->wants(sure));
        std::vector<std::string> keys;
        for (const auto& t : ts)
            keys.push_back(j->key(t.p, clf()));
        BOOST_TEST(j->submit(ts, clf()) == unsure);
        j->wait(keys, steady::now() + std::chrono::seconds(20));
    }
    int before = s.calls();
    auto again = make_judge(s, o, store->get());
    for (const auto& t : ts)
        if (t.local.confidence < o.threshold) {
            auto r = again->lookup(t.p, clf());
            BOOST_REQUIRE(r);
            BOOST_TEST(r->judge == "fake-model (LLM)");
        }
    BOOST_TEST(again->submit(ts, clf()) == 0u); // all cached: nothing is asked twice
    std::this_thread::sleep_for(milliseconds(100));
    BOOST_TEST(s.calls() == before);
}

BOOST_AUTO_TEST_CASE(an_application_verdict_names_the_field_the_heads_read) {
    // The local note (irrelevant machine-learning work) named no field; the LLM says
    // application: its judgment names the field the local heads read all the same (the
    // report's fields chart counts it; the note's Why is the LLM's own reason).
    fake_llm_server s([](const fake_llm_request& r, int) {
        return fake_llm_reply{200, chat_response(answer_papers(r, "application", "")), {}, {}};
    });
    auto ts = tasks(2, " field");
    ts[0].local.label = verdict::irrelevant;
    ts[0].local.field.clear();
    ts[0].local.field_read = "Medicine and Health";
    ts[1].local.label = verdict::irrelevant;
    ts[1].local.field = "Robotics";
    ts[1].local.field_read = "Robotics";
    auto out = judge_all(*make_judge(s), ts);
    BOOST_TEST(out[0].label == verdict::application);
    BOOST_TEST(out[0].field == "Medicine and Health");
    BOOST_TEST(out[1].field == "Robotics");
}
