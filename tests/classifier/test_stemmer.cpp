// stem / stem_all / is_stopword: Snowball English stems through the per-thread two-way cache,
// checked against libstemmer itself for words that hit, miss and evict each other's slots, long
// words, short words, batches and several threads at once.
#define BOOST_TEST_MODULE stemmer
#include "classifier/stemmer.hpp"

#include <boost/test/unit_test.hpp>
#include <libstemmer.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace sieve;

namespace {

// libstemmer directly, without Sieve's cache.
std::string reference(std::string_view w) {
    if (w.size() <= 2)
        return std::string(w);
    std::unique_ptr<sb_stemmer, void (*)(sb_stemmer*)> s(sb_stemmer_new("english", "UTF_8"),
                                                         sb_stemmer_delete);
    const sb_symbol* r = sb_stemmer_stem(s.get(), reinterpret_cast<const sb_symbol*>(w.data()),
                                         static_cast<int>(w.size()));
    return {reinterpret_cast<const char*>(r), static_cast<std::size_t>(sb_stemmer_length(s.get()))};
}

// 300,000 distinct lower-case words (several times the cache's 65,536 slots), some inflected.
std::vector<std::string> many_words() {
    static const char* suffixes[] = {"", "ing", "ed", "s", "ation", "ness"};
    std::vector<std::string> out;
    for (unsigned i = 0; out.size() < 300'000; ++i) {
        std::string w;
        for (unsigned n = i; w.size() < 3 || n; n /= 26)
            w += char('a' + n % 26);
        out.push_back(w + suffixes[i % 6]);
    }
    return out;
}

} // namespace

BOOST_AUTO_TEST_CASE(known_stems) {
    BOOST_TEST(stem("running") == "run");
    BOOST_TEST(stem("quantization") == reference("quantization"));
    BOOST_TEST(stem("experts") == "expert");
    BOOST_TEST(stem("running") == "run"); // now from the cache
    BOOST_TEST(stem("is") == "is");       // two bytes or fewer: unchanged
    BOOST_TEST(stem("") == "");
}

BOOST_AUTO_TEST_CASE(long_words_bypass_the_cache) {
    const std::string w = "supercalifragilisticexpialidociousnesses"; // > 31 bytes: no slot
    BOOST_TEST(stem(w) == reference(w));
    std::string copy(stem(w));
    BOOST_TEST(stem("running") == "run");
    BOOST_TEST(copy == reference(w));
}

BOOST_AUTO_TEST_CASE(evicted_and_colliding_words_stem_the_same) {
    const auto words = many_words();
    std::vector<std::string> first;
    first.reserve(words.size());
    for (const auto& w : words)
        first.emplace_back(stem(w));
    for (std::size_t i = 0; i < words.size(); i += 997)
        BOOST_TEST(first[i] == reference(words[i]), words[i]);
    for (std::size_t i = words.size(); i-- > 0;) // again, backwards: hits and evictions mixed
        if (stem(words[i]) != first[i])
            BOOST_FAIL("second pass differs for " << words[i]);
}

BOOST_AUTO_TEST_CASE(stem_all_stems_in_place_as_stem_does) {
    const auto words = many_words();
    std::vector<std::string> batch;
    for (std::size_t i = 0; i < words.size(); i += 13) batch.push_back(words[i]);
    batch.push_back("supercalifragilisticexpialidociousnesses"); // no slot
    batch.push_back("running");
    batch.push_back("running"); // twice in one batch
    batch.push_back("");
    std::vector<std::string> expected;
    for (const auto& w : batch) expected.push_back(reference(w));
    std::vector<std::string*> ptrs;
    for (auto& w : batch) ptrs.push_back(&w);
    stem_all(ptrs);
    for (std::size_t k = 0; k < batch.size(); ++k) BOOST_TEST(batch[k] == expected[k]);
}

BOOST_AUTO_TEST_CASE(threads_have_their_own_cache) {
    const auto words = many_words();
    std::vector<std::string> mine;
    for (std::size_t i = 0; i < words.size(); i += 7)
        mine.emplace_back(stem(words[i]));
    std::vector<int> bad(2, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t)
        threads.emplace_back([&, t] {
            for (std::size_t i = 0, k = 0; i < words.size(); i += 7, ++k)
                bad[std::size_t(t)] += stem(words[i]) != mine[k];
        });
    for (auto& th : threads)
        th.join();
    BOOST_TEST(bad[0] == 0);
    BOOST_TEST(bad[1] == 0);
}

BOOST_AUTO_TEST_CASE(stopwords) {
    BOOST_TEST(is_stopword("the"));
    BOOST_TEST(is_stopword("however"));
    BOOST_TEST(!is_stopword("transformer"));
    BOOST_TEST(!is_stopword(""));
}
