#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model_trainer.hpp"
#include "replica_store.hpp"

namespace orderstream::recommender {

// Builds recommendation pages from the served model and the live replica: model rankings
// with deleted products filtered out, followed by the most popular products (which is all
// there is when no model knows the user or the viewed items).
class Recommender {
public:
    Recommender(ReplicaStore& replica, const ModelTrainer& trainer, double similarity_blend);

    // Top-scored products the user has not interacted with.
    std::vector<ReplicaProduct> ForUser(const std::string& user_id, std::uint64_t skip, std::uint64_t take);
    // Products most similar to `viewed` (distinct ids), never one of them.
    std::vector<ReplicaProduct> ForViewed(const std::vector<std::string>& viewed, std::uint64_t skip,
                                          std::uint64_t take);

private:
    using Ranker = std::function<std::vector<ScoredItem>(std::size_t limit)>;
    // Walks the model's ranking (growing `limit` as needed) keeping live products, then fills
    // up with popular ones; returns the page [skip, skip + take).
    std::vector<ReplicaProduct> Page(const RecommendationModel* model, const Ranker& rank,
                                     std::vector<std::string> excluded, std::uint64_t skip, std::uint64_t take);

    ReplicaStore& replica_;
    const ModelTrainer& trainer_;
    double similarity_blend_;
};

}  // namespace orderstream::recommender
