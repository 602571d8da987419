#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "orderstream/recommender/model/recommendation_model.hpp"

namespace orderstream::recommender {

struct TrainingOptions {
    SvdParams svd;
    // Share of ratings held out to measure RMSE with a model trained on the rest; the served
    // model is then trained on everything. 0 skips the measurement.
    double holdout_fraction = 0.1;
    ItemNeighbours::Options neighbours;
};

struct TrainingReport {
    std::size_t ratings = 0;
    std::size_t users = 0;
    std::size_t items = 0;
    std::size_t holdout_ratings = 0;
    std::optional<double> holdout_rmse;
    double seconds = 0;  // wall time of the whole run
};

struct TrainedModel {
    std::shared_ptr<const RecommendationModel> model;
    TrainingReport report;
};

// Splits `ratings` into (train, held out) with a permutation drawn from `seed`: the same input
// and seed always give the same split. Both keep the input order.
std::pair<std::vector<RawRating>, std::vector<RawRating>> HoldoutSplit(const std::vector<RawRating>& ratings,
                                                                       double fraction, std::uint32_t seed);

// Measures the holdout RMSE (when asked and there are at least 10 ratings), then trains the
// SVD on all ratings and builds the co-occurrence neighbours. Deterministic for fixed input.
TrainedModel TrainRecommendationModel(const std::vector<RawRating>& ratings, const TrainingOptions& options);

}  // namespace orderstream::recommender
