#include "orderstream/recommender/model/recommendation_model.hpp"

#include <cmath>
#include <set>

#include <gtest/gtest.h>

#include "orderstream/recommender/model/model_training.hpp"

namespace orderstream::recommender {
namespace {

// Two clusters of 10 products; each of 40 users buys (3) six of their own cluster and looks
// at (1) three of the other one.
std::vector<RawRating> TwoClusters() {
    std::vector<RawRating> ratings;
    for (int u = 0; u < 40; ++u) {
        const char own = u % 2 == 0 ? 'a' : 'b';
        const char other = own == 'a' ? 'b' : 'a';
        for (int k = 0; k < 6; ++k) ratings.push_back({"u" + std::to_string(u), std::string(1, own) + std::to_string((u + k) % 10), 3});
        for (int k = 0; k < 3; ++k) ratings.push_back({"u" + std::to_string(u), std::string(1, other) + std::to_string((u * 3 + k) % 10), 1});
    }
    return ratings;
}

TrainingOptions Options() {
    TrainingOptions options;
    options.svd.n_epochs = 60;
    options.svd.lr_all = 0.02;
    options.svd.rating_max = 3;
    options.holdout_fraction = 0.1;
    return options;
}

TEST(ItemNeighbours, ScoresCoOccurrenceAsCosineOfRatingVectors) {
    auto data = RatingData::Build({{"a", "x", 3}, {"a", "y", 1}, {"b", "x", 3}, {"b", "y", 3}, {"c", "x", 1},
                                   {"c", "z", 3}, {"c", "x", 3}});
    auto neighbours = ItemNeighbours::Build(data);
    const auto x = *data.items().Find("x");
    const auto y = *data.items().Find("y");
    const auto z = *data.items().Find("z");
    auto of_x = neighbours.Of(x);
    ASSERT_EQ(of_x.size(), 2U);
    // c rated x twice: the strongest (3) counts. x = (3, 3, 3), y = (1, 3, 0), z = (0, 0, 3).
    EXPECT_EQ(of_x[0].item, y);
    EXPECT_FLOAT_EQ(of_x[0].similarity, static_cast<float>(12 / std::sqrt(27.0 * 10.0)));
    EXPECT_EQ(of_x[1].item, z);
    EXPECT_FLOAT_EQ(of_x[1].similarity, static_cast<float>(9 / std::sqrt(27.0 * 9.0)));
    EXPECT_TRUE(neighbours.Of(99).empty());
}

TEST(RecommendationModel, ForUserRanksUnseenProductsOfTheUsersCluster) {
    auto trained = TrainRecommendationModel(TwoClusters(), Options());
    const auto& model = *trained.model;
    const auto user = *model.svd().users().Find("u0");  // cluster a
    std::vector<bool> excluded(model.svd().n_items(), false);
    std::set<std::string> seen;
    for (const auto& r : TwoClusters()) {
        if (r.user == "u0") {
            excluded[*model.svd().items().Find(r.item)] = true;
            seen.insert(r.item);
        }
    }
    auto best = model.ForUser(user, excluded, 4);
    ASSERT_EQ(best.size(), 4U);
    for (std::size_t k = 0; k < best.size(); ++k) {
        const auto& id = model.svd().items().Raw(best[k].item);
        EXPECT_EQ(id[0], 'a') << "rank " << k << ": " << id;
        EXPECT_FALSE(seen.count(id)) << id;
        if (k > 0) {
            EXPECT_GE(best[k - 1].score, best[k].score);
        }
    }
    // Everything not excluded, when asked for more than there is.
    EXPECT_EQ(model.ForUser(user, excluded, 1000).size(), model.svd().n_items() - seen.size());
}

TEST(RecommendationModel, SimilarToFindsTheViewedClusterAndSkipsTheViewed) {
    auto trained = TrainRecommendationModel(TwoClusters(), Options());
    const auto& model = *trained.model;
    std::vector<std::uint32_t> viewed = {*model.svd().items().Find("b1"), *model.svd().items().Find("b2")};
    auto similar = model.SimilarTo(viewed, {}, 5, 0.5);
    ASSERT_EQ(similar.size(), 5U);
    for (const auto& s : similar) {
        const auto& id = model.svd().items().Raw(s.item);
        EXPECT_EQ(id[0], 'b') << id;
        EXPECT_NE(id, "b1");
        EXPECT_NE(id, "b2");
    }
    // Pure co-occurrence (blend 0) agrees on the cluster.
    for (const auto& s : model.SimilarTo(viewed, {}, 5, 0.0)) EXPECT_EQ(model.svd().items().Raw(s.item)[0], 'b');
}

TEST(ModelTraining, HoldoutSplitIsDeterministicAndKeepsOrder) {
    auto ratings = TwoClusters();
    auto [train, held] = HoldoutSplit(ratings, 0.2, 4);
    auto [train2, held2] = HoldoutSplit(ratings, 0.2, 4);
    EXPECT_EQ(held.size(), 72U);
    EXPECT_EQ(train.size() + held.size(), ratings.size());
    ASSERT_EQ(held.size(), held2.size());
    for (std::size_t k = 0; k < held.size(); ++k) EXPECT_EQ(held[k].item, held2[k].item);
    auto other = HoldoutSplit(ratings, 0.2, 5).second;
    bool differs = false;
    for (std::size_t k = 0; k < held.size(); ++k) differs = differs || held[k].user != other[k].user || held[k].item != other[k].item;
    EXPECT_TRUE(differs);
}

TEST(ModelTraining, ReportsSizesAndHoldoutRmse) {
    auto trained = TrainRecommendationModel(TwoClusters(), Options());
    const auto& r = trained.report;
    EXPECT_EQ(r.ratings, 360U);
    EXPECT_EQ(r.users, 40U);
    EXPECT_EQ(r.items, 20U);
    EXPECT_EQ(r.holdout_ratings, 36U);
    ASSERT_TRUE(r.holdout_rmse.has_value());
    EXPECT_GT(*r.holdout_rmse, 0);
    EXPECT_LT(*r.holdout_rmse, 1.0);  // ratings are 1 or 3: the mean alone would be off by ~0.94
    EXPECT_GT(r.seconds, 0);
    auto none = TrainRecommendationModel({{"u", "i", 3}}, Options());
    EXPECT_FALSE(none.report.holdout_rmse.has_value());
}

}  // namespace
}  // namespace orderstream::recommender
