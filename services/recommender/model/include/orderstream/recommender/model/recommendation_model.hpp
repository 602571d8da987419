#pragma once

#include <cstdint>
#include <vector>

#include "orderstream/recommender/model/item_neighbours.hpp"
#include "orderstream/recommender/model/svd.hpp"

namespace orderstream::recommender {

struct ScoredItem {
    std::uint32_t item = 0;  // index in the model's item table
    double score = 0;
};

// What the service serves from: the SVD and the co-occurrence neighbours of one training run.
// Immutable once built, so readers share it without locks.
class RecommendationModel {
public:
    RecommendationModel(SvdModel svd, ItemNeighbours neighbours);

    const SvdModel& svd() const { return svd_; }
    const ItemNeighbours& neighbours() const { return neighbours_; }

    // The `limit` best items for a known user by predicted rating, skipping items whose
    // index is set in `excluded` (sized n_items or empty). Ties go to the lower index.
    std::vector<ScoredItem> ForUser(std::uint32_t user, const std::vector<bool>& excluded, std::size_t limit) const;

    // The `limit` items most similar to `viewed` (model item indexes): the mean cosine of
    // item factors, blended with the mean co-occurrence similarity:
    //   score = blend · cos + (1 − blend) · co.
    // Viewed items themselves and those set in `excluded` are skipped.
    std::vector<ScoredItem> SimilarTo(const std::vector<std::uint32_t>& viewed, const std::vector<bool>& excluded,
                                      std::size_t limit, double blend) const;

    std::size_t MemoryBytes() const;

private:
    SvdModel svd_;
    ItemNeighbours neighbours_;
    std::vector<double> item_norms_;
};

}  // namespace orderstream::recommender
