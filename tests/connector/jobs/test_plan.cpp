// Unit tests of connector/jobs/plan: tag vocabulary, idempotence, user tags and edited notes.
#define BOOST_TEST_MODULE plan
#include "connector/jobs/plan.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace sieve;

namespace sieve {
std::ostream& boost_test_print_type(std::ostream& os, note_action a) {
    return os << to_string(a);
}
std::ostream& boost_test_print_type(std::ostream& os, const item_tag& t) {
    return os << t.tag << '#' << t.type;
}
} // namespace sieve

namespace {

judgment make_judgment(verdict v, std::vector<std::string> topics, std::string note) {
    judgment j;
    j.label = v;
    j.topics = std::move(topics);
    j.note_html = std::move(note);
    return j;
}

// Applies a plan the way the extension does: remove by name, add, then the note action.
void apply(const plan& p, item_content& item) {
    for (const auto& r : p.remove_tags)
        std::erase_if(item.tags, [&](const item_tag& t) { return t.tag == r.tag; });
    for (const auto& a : p.add_tags)
        item.tags.push_back(a);
    if (p.note.action == note_action::create)
        item.notes.push_back({"NEWNOTE" + std::to_string(item.notes.size()), p.note.html});
    if (p.note.action == note_action::replace)
        for (auto& n : item.notes)
            if (n.key == p.note.key)
                n.html = p.note.html;
}

const std::string note_v1 = "<div data-sieve-note=\"1\"><h2>Relevant</h2><p>why</p></div>";
const std::string note_v2 = "<div data-sieve-note=\"1\"><h2>Irrelevant</h2><p>why not</p></div>";

} // namespace

BOOST_AUTO_TEST_CASE(tag_vocabulary_uses_prefix_verdict_and_topics) {
    auto j = make_judgment(verdict::relevant, {"Model Architecture", "ML Systems"}, "");
    auto tags = sieve_tags(j, "sieve/");
    BOOST_TEST(tags == (std::vector<std::string>{"sieve/relevant", "sieve/topic/Model Architecture",
                                                 "sieve/topic/ML Systems"}),
               boost::test_tools::per_element());
    BOOST_TEST(sieve_tags(make_judgment(verdict::application, {}, ""), "x:").front() ==
               "x:application");
}

BOOST_AUTO_TEST_CASE(fresh_item_gets_tags_and_a_note_then_nothing) {
    auto j = make_judgment(verdict::relevant, {"Model Architecture"}, note_v1);
    item_content item;
    item.tags = {{"LLM", 0}, {"arXiv:cs.LG", 1}};
    plan p = compute_plan(j, item, {});
    BOOST_TEST(p.add_tags.size() == 2u);
    BOOST_TEST(p.remove_tags.empty());
    BOOST_TEST(p.note.action == note_action::create);
    BOOST_TEST(is_sieve_note(p.note.html));
    BOOST_TEST(!p.empty());
    apply(p, item);
    plan again = compute_plan(j, item, {});
    BOOST_TEST(again.empty());
    BOOST_TEST(again.note.action == note_action::keep);
    BOOST_TEST(again.note.key == "NEWNOTE0");
    BOOST_TEST((item.tags[0] == item_tag{"LLM", 0}));
    BOOST_TEST((item.tags[1] == item_tag{"arXiv:cs.LG", 1}));
}

BOOST_AUTO_TEST_CASE(stale_sieve_tags_go_manual_ones_are_never_touched) {
    auto j = make_judgment(verdict::irrelevant, {"ML Systems"}, note_v1);
    item_content item;
    item.tags = {{"sieve/relevant", 1},
                 {"sieve/irrelevant", 0}, // the user's own: wanted, kept as manual
                 {"sieve/application", 0}, // the user's own: not wanted, still kept
                 {"Sieve/relevant", 0},
                 {"relevant", 0},
                 {"sieve/topic/Old Topic", 1}};
    plan p = compute_plan(j, item, {});
    BOOST_TEST(p.remove_tags.size() == 2u);
    for (const auto& r : p.remove_tags)
        BOOST_TEST(r.type == 1);
    BOOST_TEST(p.add_tags.size() == 1u);
    BOOST_TEST((p.add_tags[0] == item_tag{"sieve/topic/ML Systems", 1}));
    apply(p, item);
    BOOST_TEST(compute_plan(j, item, {}).empty());
    for (const auto& manual : {item_tag{"sieve/irrelevant", 0}, item_tag{"sieve/application", 0},
                               item_tag{"Sieve/relevant", 0}, item_tag{"relevant", 0}})
        BOOST_TEST(std::count(item.tags.begin(), item.tags.end(), manual) == 1);
}

BOOST_AUTO_TEST_CASE(undo_takes_off_sieve_tags_and_unedited_notes_only) {
    item_content item;
    item.tags = {{"LLM", 0}, {"sieve/relevant", 0}};
    auto original = item;
    auto j = make_judgment(verdict::irrelevant, {"ML Systems"}, note_v1);
    apply(compute_plan(j, item, {}), item);
    plan u = compute_undo_plan(item, {});
    BOOST_TEST(u.add_tags.empty());
    BOOST_TEST(u.remove_tags.size() == 2u);
    BOOST_TEST(u.note.action == note_action::erase);
    BOOST_TEST(to_string(u.note.action) == "delete");
    apply(u, item);
    std::erase_if(item.notes, [&](const item_note& n) { return n.key == u.note.key; });
    BOOST_TEST(item.tags == original.tags, boost::test_tools::per_element());
    BOOST_TEST(item.notes.empty());
    // An edited Sieve note is the user's now: undo reports it and leaves it.
    apply(compute_plan(j, item, {}), item);
    item.notes[0].html.insert(item.notes[0].html.rfind("</div>"), "<p>mine</p>");
    BOOST_TEST(compute_undo_plan(item, {}).note.action == note_action::user_edited);
    BOOST_TEST(compute_undo_plan(item_content{}, {}).note.action == note_action::keep);
}

BOOST_AUTO_TEST_CASE(custom_prefix_owns_only_its_namespace) {
    auto j = make_judgment(verdict::relevant, {}, "");
    item_content item;
    item.tags = {{"sieve/irrelevant", 1}};
    plan p = compute_plan(j, item, {"triage:", 1});
    BOOST_TEST(p.remove_tags.empty());
    BOOST_TEST(p.add_tags.size() == 1u);
    BOOST_TEST(p.add_tags[0].tag == "triage:relevant");
    BOOST_TEST(p.note.action == note_action::keep); // nothing to write
}

BOOST_AUTO_TEST_CASE(out_of_date_note_is_replaced_when_unedited) {
    item_content item;
    apply(compute_plan(make_judgment(verdict::relevant, {}, note_v1), item, {}), item);
    auto j2 = make_judgment(verdict::irrelevant, {}, note_v2);
    plan p = compute_plan(j2, item, {});
    BOOST_TEST(p.note.action == note_action::replace);
    BOOST_TEST(p.note.key == "NEWNOTE0");
    apply(p, item);
    BOOST_TEST(item.notes.size() == 1u);
    BOOST_TEST(compute_plan(j2, item, {}).empty());
}

BOOST_AUTO_TEST_CASE(user_edited_note_is_never_replaced) {
    item_content item;
    apply(compute_plan(make_judgment(verdict::relevant, {}, note_v1), item, {}), item);
    auto& html = item.notes[0].html;
    html.insert(html.rfind("</div>"), "<p>my own remark</p>");
    plan p = compute_plan(make_judgment(verdict::irrelevant, {}, note_v2), item, {});
    BOOST_TEST(p.note.action == note_action::user_edited);
    BOOST_TEST(p.note.key == "NEWNOTE0");
    BOOST_TEST(p.note.html.empty());
    // Zotero's editor wrapping the note (and dropping the stamp) also counts as an edit.
    item.notes[0].html = "<div data-schema-version=\"9\">" + note_v1 + "</div>";
    BOOST_TEST(
        compute_plan(make_judgment(verdict::irrelevant, {}, note_v2), item, {}).note.action ==
        note_action::user_edited);
}

BOOST_AUTO_TEST_CASE(written_record_recognises_a_note_without_markup) {
    item_content item;
    item.notes = {{"USERNOTE", "<p>unrelated</p>"}, {"OLDSIEVE", "<p>plain</p>"}};
    item.written = {{"OLDSIEVE", note_hash("<p>plain</p>")}};
    plan p = compute_plan(make_judgment(verdict::relevant, {}, note_v1), item, {});
    BOOST_TEST(p.note.action == note_action::replace);
    BOOST_TEST(p.note.key == "OLDSIEVE");
    item.written[0].html_hash = note_hash("<p>something else</p>");
    BOOST_TEST(compute_plan(make_judgment(verdict::relevant, {}, note_v1), item, {}).note.action ==
               note_action::user_edited);
}

BOOST_AUTO_TEST_CASE(stamp_wraps_fragments_and_round_trips) {
    std::string s = stamp_note("<p>bare</p>");
    BOOST_TEST(is_sieve_note(s));
    BOOST_TEST(s.find("data-sieve-hash=\"") != std::string::npos);
    BOOST_TEST(stamp_note("").empty());
    BOOST_TEST(!is_sieve_note("<p data-sieve-note=\"1\">x</p>"));
    BOOST_TEST(!is_sieve_note("text <div data-sieve-note=\"1\"></div>"));
    BOOST_TEST(is_sieve_note("  <DIV class='a' data-sieve-note>x</DIV>"));
    BOOST_TEST(note_hash("abc") == note_hash("abc"));
    BOOST_TEST(note_hash("abc").size() == 16u);
}
