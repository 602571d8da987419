#include "orderstream/recommender/model/model_training.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>

namespace orderstream::recommender {

std::pair<std::vector<RawRating>, std::vector<RawRating>> HoldoutSplit(const std::vector<RawRating>& ratings,
                                                                       double fraction, std::uint32_t seed) {
    const std::size_t n = ratings.size();
    const auto held = static_cast<std::size_t>(std::llround(static_cast<double>(n) * std::clamp(fraction, 0.0, 1.0)));
    // Our own Fisher-Yates: std::shuffle's algorithm differs between standard libraries.
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 engine(seed);
    for (std::size_t i = n; i > 1; --i) {
        const std::size_t j = engine() % i;
        std::swap(order[i - 1], order[j]);
    }
    std::vector<bool> is_held(n, false);
    for (std::size_t k = 0; k < held; ++k) is_held[order[k]] = true;
    std::pair<std::vector<RawRating>, std::vector<RawRating>> split;
    split.first.reserve(n - held);
    split.second.reserve(held);
    for (std::size_t k = 0; k < n; ++k) (is_held[k] ? split.second : split.first).push_back(ratings[k]);
    return split;
}

TrainedModel TrainRecommendationModel(const std::vector<RawRating>& ratings, const TrainingOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    TrainedModel trained;
    auto& report = trained.report;
    report.ratings = ratings.size();
    if (options.holdout_fraction > 0 && ratings.size() >= 10) {
        auto [train, held] = HoldoutSplit(ratings, options.holdout_fraction, options.svd.random_state);
        auto measured = SvdTrainer::Train(RatingData::Build(train), options.svd);
        report.holdout_ratings = held.size();
        report.holdout_rmse = Rmse(measured, held);
    }
    auto data = RatingData::Build(ratings);
    report.users = data.users().size();
    report.items = data.items().size();
    auto svd = SvdTrainer::Train(data, options.svd);
    auto neighbours = ItemNeighbours::Build(data, options.neighbours);
    trained.model = std::make_shared<const RecommendationModel>(std::move(svd), std::move(neighbours));
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return trained;
}

}  // namespace orderstream::recommender
