// The notes' field heads on labelled papers: per paper, the category field named, the reason
// field heads' margins, and the fields its arXiv categories and its judges' reasons give, as one
// JSON line each, for choosing and checking read_field's threshold (docs/notes.md, "Fields").
// usage: bench_fields FIELDS.txt FILE.jsonl   (FIELDS.txt: a `sieve train --fields` output)
#include "classifier/evidence.hpp"
#include "classifier/field_reasons.hpp"
#include "classifier/fields.hpp"
#include "classifier/training.hpp"
#include "connector/cli/corpus_io.hpp"
#include "connector/cli/criteria_file.hpp"

#include <boost/json.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

namespace {

boost::json::array names_of(const std::vector<bool>& on, const std::vector<std::string>& names) {
    boost::json::array a;
    for (std::size_t f = 0; f < on.size() && f < names.size(); ++f)
        if (on[f]) a.emplace_back(names[f]);
    return a;
}

// fm: the heads; categories_only: the same with its reason heads never ranked first.
boost::json::object row(const sieve::labelled_paper& lp, const sieve::field_model& fm,
                        const sieve::field_model& categories_only, const sieve::field_scores& s) {
    boost::json::object o;
    o["id"] = lp.p.id;
    o["gold"] = lp.gold ? std::string(sieve::to_string(*lp.gold)) : std::string();
    std::vector<bool> cats(sieve::note_field_names().size(), false);
    for (const auto& c : lp.categories)
        if (auto f = sieve::note_field_of(c); f >= 0) cats[std::size_t(f)] = true;
    o["category_fields"] = names_of(cats, sieve::note_field_names());
    o["reason_fields"] = names_of(sieve::reason_fields(lp.reasons), sieve::reason_field_names());
    const auto pick = sieve::read_field(categories_only, s);
    o["category_pick"] = pick.name;
    o["category_probability"] = pick.probability;
    boost::json::object m;
    for (std::size_t f = 0; f < fm.names.size(); ++f)
        if (fm.from_reasons[f]) m[fm.names[f]] = s.margin[f];
    o["reason_margins"] = std::move(m);
    return o;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: bench_fields FIELDS.txt FILE.jsonl\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto fm = sieve::parse_field_model(text.str());
    auto crit = sieve::load_criteria("");
    auto data = sieve::read_labelled(argv[2]);
    if (!fm || !crit || !data) {
        std::fprintf(stderr, "bench_fields: cannot read the fields, the criteria or the papers\n");
        return 1;
    }
    sieve::field_model categories_only = *fm; // the category rule alone
    categories_only.from_reasons.assign(fm->names.size(), false);
    for (std::size_t f = 0; f < fm->names.size(); ++f)
        if (fm->from_reasons[f]) categories_only.bias[f] = 1e9; // never ranked first
    const auto x = sieve::featurize(*data, *crit, fm->hash_bits);
    for (std::size_t i = 0; i < data->size(); ++i)
        std::cout << boost::json::serialize(row((*data)[i], *fm, categories_only, fm->score(x[i])))
                  << '\n';
}
