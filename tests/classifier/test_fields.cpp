// The notes' fields (classifier/fields.hpp, field_reasons.hpp, read_field in evidence.hpp): the
// judges' reasons name fields by the rules, a method's name does not; the file form round-trips
// and refuses the old version; a confident reason head is named before the category fields, and
// the compiled-in heads hold both kinds.
#define BOOST_TEST_MODULE fields
#include "classifier/classifier.hpp"
#include "classifier/embedded.hpp"
#include "classifier/evidence.hpp"
#include "classifier/field_reasons.hpp"
#include "classifier/fields.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <string>

using namespace sieve;

namespace {

std::vector<std::string> named(const std::vector<std::string>& reasons) {
    std::vector<std::string> out;
    const auto on = reason_fields(reasons);
    for (std::size_t f = 0; f < on.size(); ++f)
        if (on[f]) out.push_back(reason_field_names()[f]);
    return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

linear_head head(std::string name, double bias, std::vector<std::pair<std::size_t, float>> w) {
    linear_head h;
    h.name = std::move(name);
    h.bias = bias;
    h.weights.assign(256, 0.0f);
    for (auto [i, v] : w) h.weights[i] = v;
    return h;
}

// Two category heads and one reason head over 2^8 features.
field_model toy() {
    return field_model::from_heads({head("Computer Vision", -1.0, {{1, 2.0f}}),
                                    head("Biology", -3.0, {{2, 1.0f}}),
                                    head("Medical Imaging", -2.0, {{3, 3.0f}})},
                                   {false, false, true}, 8);
}

sparse_vector features(std::vector<std::uint32_t> idx) {
    sparse_vector x;
    x.index = std::move(idx);
    x.value.assign(x.index.size(), 1.0f);
    return x;
}

} // namespace

BOOST_AUTO_TEST_CASE(reasons_name_the_domain_not_the_method) {
    auto f = named({"Tiles of stained tissue scans are classified by a small CNN: medical imaging."});
    BOOST_TEST(has(f, "Medical Imaging"));
    BOOST_TEST(has(f, "Medicine and Health"));
    BOOST_TEST(!has(f, "Biology"));
    BOOST_TEST(has(named({"Predicts bond prices from news; a finance use."}),
                       "Economics and Finance"));
    BOOST_TEST(has(named({"Decodes words from MEG recordings of listeners."}), "Neuroscience"));
    // A method's name is not a field.
    BOOST_TEST(named({"Physics-informed networks with a new loss."}) ==
                   std::vector<std::string>{"Scientific Computing and Engineering"});
    BOOST_TEST(!has(named({"Teacher-student distillation of a bio-inspired, brain-like model."}),
                    "Neuroscience"));
    BOOST_TEST(named({"A new optimiser for transformers."}).empty());
    BOOST_TEST(named({}).empty());
    // " ct " is a word, not a part of one.
    BOOST_TEST(!has(named({"Direct preference optimisation."}), "Medical Imaging"));
    BOOST_TEST(has(named({"Low-dose CT denoising."}), "Medical Imaging"));
}

BOOST_AUTO_TEST_CASE(file_form_round_trips_and_refuses_version_1) {
    const auto m = toy();
    const auto text = m.serialize();
    BOOST_TEST(text.rfind("sieve-fields 2\n", 0) == 0);
    BOOST_TEST(text.find("\tMedical Imaging\t-2\t1\treasons\n") != std::string::npos);
    auto back = parse_field_model(text);
    BOOST_TEST_REQUIRE(back.has_value());
    BOOST_TEST(back->serialize() == text);
    BOOST_TEST((back->from_reasons == std::vector<bool>{false, false, true}));
    std::string old = text;
    old.replace(0, 14, "sieve-fields 1");
    BOOST_TEST(!parse_field_model(old).has_value());
    std::string no_kind = text;
    no_kind.replace(no_kind.find("\treasons"), 8, "");
    BOOST_TEST(!parse_field_model(no_kind).has_value());
}

BOOST_AUTO_TEST_CASE(a_confident_reason_head_is_named_first) {
    const auto m = toy();
    // Feature 3: the reason head's margin 1 > 0: Medical Imaging, though vision scores 1 too.
    auto both = read_field(m, m.score(features({1, 3})));
    BOOST_TEST(both.name == "Medical Imaging");
    BOOST_TEST(m.from_reasons[both.index]);
    // No evidence for the reason head (margin -2): the category fields decide.
    auto vision = read_field(m, m.score(features({1})));
    BOOST_TEST(vision.name == "Computer Vision");
    BOOST_TEST(std::abs(vision.probability - 1 / (1 + std::exp(-1.0))) < 1e-9); // margin -1 + 2
}

BOOST_AUTO_TEST_CASE(compiled_in_heads_hold_both_kinds) {
    auto m = parse_field_model(embedded_fields_text());
    BOOST_TEST_REQUIRE(m.has_value());
    const auto reasons = std::count(m->from_reasons.begin(), m->from_reasons.end(), true);
    BOOST_TEST(reasons >= 20);
    BOOST_TEST(std::size_t(m->names.size() - std::size_t(reasons)) >= 25u); // category heads
    for (std::size_t f = 0; f < m->names.size(); ++f)
        BOOST_TEST(has(m->from_reasons[f] ? reason_field_names() : note_field_names(), m->names[f]));
    BOOST_TEST(has(m->names, "Medical Imaging"));
    BOOST_TEST(has(m->names, "Remote Sensing"));
}

BOOST_AUTO_TEST_CASE(an_unsure_field_is_not_named_for_irrelevant_ml_work) {
    const auto m = field_model::from_heads({head("Computer Vision", -2.0, {{1, 2.0f}}),
                                            head("Medical Imaging", -3.0, {{3, 3.0f}})},
                                           {false, true}, 8);
    const auto weak = m.score(features({9})); // vision's margin -2: probability 0.12
    const auto sure = m.score(features({1})); // vision's margin 0: probability 0.5
    BOOST_TEST(note_field(read_field(m, weak), verdict::application, false) == "Computer Vision");
    BOOST_TEST(note_field(read_field(m, weak), verdict::irrelevant, true) == "Computer Vision");
    BOOST_TEST(note_field(read_field(m, weak), verdict::irrelevant, false).empty());
    BOOST_TEST(note_field(read_field(m, sure), verdict::irrelevant, false) == "Computer Vision");
    BOOST_TEST(note_field(read_field(m, sure), verdict::relevant, false).empty());
}
