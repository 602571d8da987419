#include "recommender.hpp"

#include <algorithm>

namespace orderstream::recommender {

Recommender::Recommender(ReplicaStore& replica, const ModelTrainer& trainer, double similarity_blend)
    : replica_(replica), trainer_(trainer), similarity_blend_(similarity_blend) {}

std::vector<ReplicaProduct> Recommender::ForUser(const std::string& user_id, std::uint64_t skip, std::uint64_t take) {
    auto interacted = replica_.InteractedProducts(user_id);
    auto served = trainer_.Current();
    if (!served) return Page(nullptr, nullptr, std::move(interacted), skip, take);
    const auto& model = *served->model;
    auto user = model.svd().users().Find(user_id);
    if (!user) return Page(nullptr, nullptr, std::move(interacted), skip, take);
    std::vector<bool> excluded(model.svd().n_items(), false);
    for (const auto& id : interacted) {
        if (auto item = model.svd().items().Find(id)) excluded[*item] = true;
    }
    auto rank = [&](std::size_t limit) { return model.ForUser(*user, excluded, limit); };
    return Page(&model, rank, std::move(interacted), skip, take);
}

std::vector<ReplicaProduct> Recommender::ForViewed(const std::vector<std::string>& viewed, std::uint64_t skip,
                                                   std::uint64_t take) {
    auto served = trainer_.Current();
    std::vector<std::uint32_t> known;
    if (served) {
        for (const auto& id : viewed) {
            if (auto item = served->model->svd().items().Find(id)) known.push_back(*item);
        }
    }
    if (known.empty()) return Page(nullptr, nullptr, viewed, skip, take);
    const auto& model = *served->model;
    const std::vector<bool> none;
    auto rank = [&](std::size_t limit) { return model.SimilarTo(known, none, limit, similarity_blend_); };
    return Page(&model, rank, viewed, skip, take);
}

std::vector<ReplicaProduct> Recommender::Page(const RecommendationModel* model, const Ranker& rank,
                                              std::vector<std::string> excluded, std::uint64_t skip,
                                              std::uint64_t take) {
    const std::uint64_t wanted = skip + take;
    std::vector<ReplicaProduct> ranked;  // live products in model order
    bool exhausted = model == nullptr;
    if (model != nullptr) {
        // Most of the ranking is live: ask for a little more than the page and grow when
        // deleted products thin it out.
        std::size_t limit = static_cast<std::size_t>(wanted) * 2 + 16;
        std::size_t consumed = 0;
        while (ranked.size() < wanted) {
            auto scored = rank(limit);
            exhausted = scored.size() < limit;
            std::vector<std::string> ids;
            for (std::size_t k = consumed; k < scored.size(); ++k) {
                ids.push_back(model->svd().items().Raw(scored[k].item));
            }
            consumed = scored.size();
            auto live = replica_.LiveProducts(ids);
            for (const auto& id : ids) {
                auto it = live.find(id);
                if (it != live.end()) ranked.push_back(std::move(it->second));
                if (ranked.size() >= wanted) break;
            }
            if (exhausted) break;
            limit *= 4;
        }
    }
    std::vector<ReplicaProduct> page;
    for (std::uint64_t k = skip; k < ranked.size() && page.size() < take; ++k) page.push_back(ranked[k]);
    if (page.size() < take && exhausted) {
        // The ranking ran out: the rest of the order is the popular products it did not hold.
        for (const auto& product : ranked) excluded.push_back(product.id);
        const std::uint64_t popular_skip = skip > ranked.size() ? skip - ranked.size() : 0;
        for (auto& product : replica_.Popular(excluded, popular_skip, take - page.size())) {
            page.push_back(std::move(product));
        }
    }
    return page;
}

}  // namespace orderstream::recommender
