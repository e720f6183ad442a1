#include "classifier/cross_validation.hpp"

#include "classifier/classifier.hpp"
#include "classifier/model.hpp"
#include "classifier/peers.hpp"

#include <thread>

namespace sieve {

std::vector<prediction> judge_papers(const model& m, const criteria& c,
                                     const std::vector<labelled_paper>& data,
                                     const std::vector<std::size_t>& which) {
    const classifier cl = classifier::from_parts(c, m);
    std::vector<prediction> out(which.size());
    auto work = [&](std::size_t from) {
        for (std::size_t k = from; k < which.size(); k += 2) {
            judgment j = cl.judge(data[which[k]].p);
            out[k] = {j.label, j.relevance, std::move(j.topics)};
        }
    };
    std::thread t(work, 1);
    work(0);
    t.join();
    return out;
}

void for_each_fold_model(const std::vector<labelled_paper>& data,
                         const std::vector<sparse_vector>& x, const std::vector<int>& fold, int k,
                         const criteria& c, const training_config& cfg,
                         const std::function<void(const model&, const std::vector<std::size_t>&)>&
                             visit) {
    std::vector<std::size_t> others;
    for (std::size_t i = 0; i < data.size(); ++i)
        if (fold[i] < 0) others.push_back(i);
    const model text_heads = train_text_heads(data, x, others, c, cfg);
    for (int f = 0; f < k; ++f) {
        std::vector<std::size_t> use = others, held;
        for (std::size_t i = 0; i < data.size(); ++i)
            if (fold[i] >= 0) (fold[i] == f ? held : use).push_back(i);
        model m = text_heads;
        if (!cfg.relevance_only) train_meta_heads(m, data, use, c, cfg);
        visit(m, held);
    }
}

cv_predictions cross_validate(const std::vector<labelled_paper>& data,
                              const std::vector<sparse_vector>& x, const std::vector<int>& fold,
                              int k, const criteria& c, const training_config& cfg) {
    cv_predictions out;
    for_each_fold_model(data, x, fold, k, c, cfg,
                        [&](const model& m, const std::vector<std::size_t>& held) {
                            auto p = judge_papers(m, c, data, held);
                            out.which.insert(out.which.end(), held.begin(), held.end());
                            out.pred.insert(out.pred.end(), std::make_move_iterator(p.begin()),
                                            std::make_move_iterator(p.end()));
                        });
    return out;
}

cv_predictions cross_validate_peer(std::string_view peer, const std::vector<labelled_paper>& data,
                                   const std::vector<int>& fold, int k, const criteria& c,
                                   double peer_cost) {
    cv_predictions out;
    if (peer != "keywords" && peer != "tfidf") return out;
    for (int f = 0; f < k; ++f) {
        std::vector<std::size_t> train, held;
        for (std::size_t i = 0; i < data.size(); ++i)
            if (fold[i] >= 0) (fold[i] == f ? held : train).push_back(i);
        if (peer == "tfidf") {
            auto p = tfidf_peer(data, train, held, c, peer_cost);
            out.pred.insert(out.pred.end(), p.begin(), p.end());
        } else {
            for (auto i : held) out.pred.push_back(keyword_peer(data[i].p, c));
        }
        out.which.insert(out.which.end(), held.begin(), held.end());
    }
    return out;
}

} // namespace sieve
