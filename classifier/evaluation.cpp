#include "classifier/evaluation.hpp"

#include "classifier/metrics.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace sieve {

namespace {

bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

// Weighted counts (tp, fp, fn) of a binary decision.
struct weighted_counts {
    double tp = 0, fp = 0, fn = 0;
    void add(bool said, bool actual, double w) {
        if (said && actual) tp += w;
        else if (said) fp += w;
        else if (actual) fn += w;
    }
    bool empty() const { return tp + fp + fn == 0; }
    double f1() const { return empty() ? 0.0 : 2 * tp / (2 * tp + fp + fn); }
    double precision() const { return tp + fp > 0 ? tp / (tp + fp) : 0.0; }
    double recall() const { return tp + fn > 0 ? tp / (tp + fn) : 0.0; }
};

std::string format(const char* f, double a, double b = 0, double c = 0, double d = 0) {
    char buf[256];
    std::snprintf(buf, sizeof buf, f, a, b, c, d);
    return buf;
}

std::string binary_line(const char* what, const std::vector<double>& s, const std::vector<bool>& y,
                        const binary_counts& c) {
    if (y.empty()) return {};
    double best = 0;
    double thr = best_f1_threshold(s, y, &best);
    char buf[400];
    std::snprintf(buf, sizeof buf,
                  "%s (n=%zu, positives=%zu): precision %.3f recall %.3f F1 %.3f ROC AUC %.3f "
                  "(best-threshold F1 %.3f at p=%.3f)\n",
                  what, y.size(), std::size_t(std::count(y.begin(), y.end(), true)),
                  c.precision(), c.recall(), c.f1(), roc_auc(s, y), best, thr);
    return buf;
}

std::string totals(const std::vector<labelled_paper>& d, const std::vector<std::size_t>& which,
                   const std::vector<prediction>& pred, const criteria& crit) {
    std::vector<double> s_label, s_gold;
    std::vector<bool> y_label, y_gold;
    binary_counts c_label, c_gold;
    confusion conf;
    std::vector<binary_counts> topic(crit.topics.size());
    const bool any_gold =
        std::any_of(which.begin(), which.end(), [&](std::size_t i) { return d[i].gold; });
    for (std::size_t k = 0; k < which.size(); ++k) {
        const auto& lp = d[which[k]];
        const auto& p = pred[k];
        bool said = p.label == verdict::relevant;
        if (lp.relevant >= 0) {
            s_label.push_back(p.relevance), y_label.push_back(lp.relevant == 1);
            c_label.add(said, lp.relevant == 1);
        }
        if (lp.gold) {
            s_gold.push_back(p.relevance), y_gold.push_back(*lp.gold == verdict::relevant);
            c_gold.add(said, *lp.gold == verdict::relevant);
            conf.add(int(*lp.gold), int(p.label));
        }
        // Topics of the agreed seed-exact papers where there are any (a seed-exact file's
        // ambiguous papers are left out, whatever topics their corpus version has), else the
        // corpus positives' topics.
        if (!lp.topics_known || (any_gold && !lp.gold)) continue;
        for (std::size_t t = 0; t < crit.topics.size(); ++t)
            topic[t].add(has(p.topics, crit.topics[t].name), has(lp.topics, crit.topics[t].name));
    }
    std::string out = "papers: " + std::to_string(which.size()) + "\n";
    out += binary_line("relevant vs not, against \"label\"", s_label, y_label, c_label);
    out += binary_line("relevant vs not, against agreed \"verdict\"", s_gold, y_gold, c_gold);
    if (!y_gold.empty()) {
        out += format("3-way accuracy (agreed verdicts): %.3f\nconfusion (rows actual, columns "
                      "predicted: relevant application irrelevant):\n", conf.accuracy());
        for (const auto& row : conf.m)
            out += format("  %5.0f %5.0f %5.0f\n", double(row[0]), double(row[1]), double(row[2]));
    }
    double macro = 0;
    std::size_t n = 0;
    for (std::size_t t = 0; t < topic.size(); ++t) {
        if (topic[t].tp + topic[t].fn + topic[t].fp == 0) continue;
        char buf[200];
        std::snprintf(buf, sizeof buf, "topic F1 %-36s %.3f (P %.3f R %.3f, support %zu)\n",
                      crit.topics[t].name.c_str(), topic[t].f1(), topic[t].precision(),
                      topic[t].recall(), topic[t].tp + topic[t].fn);
        out += buf;
        macro += topic[t].f1(), ++n;
    }
    if (n) out += format("topic macro F1: %.3f\n", macro / double(n));
    return out;
}

} // namespace

gold_figures score_gold(const std::vector<labelled_paper>& d, const std::vector<std::size_t>& which,
                        const std::vector<prediction>& pred, const criteria& c,
                        const std::map<std::string, double>* weight_of) {
    gold_figures g;
    weighted_counts rel;
    std::vector<weighted_counts> topic(c.topics.size());
    double right = 0, all = 0;
    for (std::size_t k = 0; k < which.size(); ++k) {
        const auto& lp = d[which[k]];
        if (!lp.gold) continue;
        double w = 1;
        if (weight_of)
            if (auto it = weight_of->find(lp.stratum); it != weight_of->end()) w = it->second;
        ++g.n;
        all += w;
        right += pred[k].label == *lp.gold ? w : 0;
        rel.add(pred[k].label == verdict::relevant, *lp.gold == verdict::relevant, w);
        for (std::size_t t = 0; t < c.topics.size(); ++t)
            topic[t].add(has(pred[k].topics, c.topics[t].name), has(lp.topics, c.topics[t].name),
                         w);
    }
    g.relevant_f1 = rel.f1();
    g.relevant_precision = rel.precision();
    g.relevant_recall = rel.recall();
    g.three_way = all > 0 ? right / all : 0;
    double macro = 0;
    std::size_t n = 0;
    for (const auto& t : topic)
        if (!t.empty()) macro += t.f1(), ++n;
    g.topic_macro_f1 = n ? macro / double(n) : 0;
    return g;
}

std::string evaluation_report(const std::vector<labelled_paper>& d,
                              const std::vector<std::size_t>& which,
                              const std::vector<prediction>& pred, const criteria& c) {
    std::string out = totals(d, which, pred, c);
    std::map<std::string, std::vector<std::size_t>> by_stratum; // positions k into which
    for (std::size_t k = 0; k < which.size(); ++k)
        if (d[which[k]].gold) by_stratum[d[which[k]].stratum].push_back(k);
    if (by_stratum.size() < 2) return out;
    for (const auto& [name, ks] : by_stratum) {
        std::vector<std::size_t> w;
        std::vector<prediction> p;
        for (auto k : ks) w.push_back(which[k]), p.push_back(pred[k]);
        gold_figures g = score_gold(d, w, p, c);
        char buf[300];
        std::snprintf(buf, sizeof buf,
                      "stratum %-8s n=%-5zu relevant F1 %.3f (P %.3f R %.3f) 3-way %.3f "
                      "topic macro F1 %.3f\n",
                      name.empty() ? "-" : name.c_str(), g.n, g.relevant_f1,
                      g.relevant_precision, g.relevant_recall, g.three_way, g.topic_macro_f1);
        out += buf;
    }
    return out;
}

} // namespace sieve
