#include "orderstream/recommender/model/svd.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "orderstream/recommender/model/rating_csv.hpp"

namespace orderstream::recommender {
namespace {

std::vector<RawRating> Read(const std::string& name) {
    auto ratings = ReadRatingsCsv(std::string(RECOMMENDER_TEST_DATA) + "/" + name);
    EXPECT_TRUE(ratings.ok()) << ratings.error().message;
    return ratings.ok() ? *ratings : std::vector<RawRating>{};
}

// Low-rank ratings with noise, generated here so the test needs no files.
std::vector<RawRating> Generated(int users, int items, int per_user, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> normal(0, 1);
    std::vector<std::array<double, 3>> pu(users), qi(items);
    for (auto& p : pu) for (auto& x : p) x = normal(rng) / std::sqrt(3.0);
    for (auto& q : qi) for (auto& x : q) x = normal(rng);
    std::vector<RawRating> out;
    for (int u = 0; u < users; ++u) {
        for (int k = 0; k < per_user; ++k) {
            int i = static_cast<int>(rng() % items);
            double r = 3 + pu[u][0] * qi[i][0] + pu[u][1] * qi[i][1] + pu[u][2] * qi[i][2] + 0.3 * normal(rng);
            out.push_back({"u" + std::to_string(u), "i" + std::to_string(i), std::clamp(std::round(r), 1.0, 5.0)});
        }
    }
    return out;
}

TEST(RatingData, NumbersIdsByFirstAppearanceAndGroupsByUser) {
    auto data = RatingData::Build({{"b", "x", 1}, {"a", "y", 2}, {"b", "y", 3}, {"a", "x", 4}});
    EXPECT_EQ(data.users().Raw(0), "b");
    EXPECT_EQ(data.users().Raw(1), "a");
    EXPECT_EQ(data.items().Raw(1), "y");
    ASSERT_EQ(data.ratings().size(), 4U);
    // b's ratings first, each user's in input order: what Surprise's all_ratings() yields.
    EXPECT_EQ(data.ratings()[0].value, 1);
    EXPECT_EQ(data.ratings()[1].value, 3);
    EXPECT_EQ(data.ratings()[2].value, 2);
    EXPECT_EQ(data.ratings()[3].value, 4);
    EXPECT_EQ(data.global_mean(), 2.5);
}

// Surprise's custom_train fixture with SVD(n_factors=2, n_epochs=5, random_state=0):
// expected values computed with scikit-surprise itself.
TEST(Svd, ReferenceKernelReproducesSurprisesNumbers) {
    SvdParams params;
    params.n_factors = 2;
    params.n_epochs = 5;
    auto data = RatingData::Build(Read("surprise_custom_train.csv"));
    auto model = SvdTrainer::Train(data, params, SgdKernel::kReference);
    EXPECT_EQ(model.global_mean(), 2.8333333333333335);
    const double bu[] = {0.02875046035775866, 0.006830177019440609, -0.08930115519792163, 0.05408300170287192};
    const double bi[] = {0.012162700317828894, -0.011818349417886247};
    const double pu[4][2] = {{0.17601365782911474, 0.041313797623156824},
                             {0.09723623052439428, 0.22203107949725298},
                             {0.18645037384036875, -0.10612026507992142},
                             {0.09551334551747154, -0.007298334811300412}};
    const double qi[2][2] = {{-0.010878022841916449, 0.05310473474066899},
                             {0.009171254726168096, 0.14417917786083395}};
    for (std::uint32_t u = 0; u < 4; ++u) {
        EXPECT_NEAR(model.user_bias(u), bu[u], 1e-15);
        for (int f = 0; f < 2; ++f) EXPECT_NEAR(model.user_factors(u)[f], pu[u][f], 1e-15);
    }
    for (std::uint32_t i = 0; i < 2; ++i) {
        EXPECT_NEAR(model.item_bias(i), bi[i], 1e-15);
        for (int f = 0; f < 2; ++f) EXPECT_NEAR(model.item_factors(i)[f], qi[i][f], 1e-15);
    }
    EXPECT_NEAR(model.Predict("user3", "item0"), 2.898152462865585, 1e-14);
    EXPECT_NEAR(model.Predict("user0", "item1"), 2.857836299740057, 1e-14);
    // Unknown user and item: the global mean, as Surprise predicts it.
    EXPECT_EQ(model.Predict("user_neverseen", "item_neverseen"), 2.8333333333333335);
}

TEST(Svd, FastKernelAgreesWithTheReference) {
    auto ratings = Generated(200, 150, 30, 3);
    auto data = RatingData::Build(ratings);
    SvdParams params;  // Surprise's defaults: 100 factors, 20 epochs
    auto reference = SvdTrainer::Train(data, params, SgdKernel::kReference);
    auto fast = SvdTrainer::Train(data, params, SgdKernel::kFast);
    double worst = 0;
    for (std::uint32_t u = 0; u < data.users().size(); ++u) {
        for (std::uint32_t i = 0; i < data.items().size(); i += 7) {
            worst = std::max(worst, std::abs(reference.Estimate(u, i) - fast.Estimate(u, i)));
        }
    }
    // Single-precision factors: the same model up to rounding.
    EXPECT_LT(worst, 1e-4);
}

TEST(Svd, TrainingIsDeterministicForASeedAndDependsOnIt) {
    auto data = RatingData::Build(Generated(50, 40, 10, 5));
    SvdParams params;
    auto a = SvdTrainer::Train(data, params);
    auto b = SvdTrainer::Train(data, params);
    params.random_state = 1;
    auto c = SvdTrainer::Train(data, params);
    EXPECT_EQ(a.Estimate(3, 4), b.Estimate(3, 4));
    EXPECT_NE(a.Estimate(3, 4), c.Estimate(3, 4));
}

TEST(Svd, LearnsLowRankStructureBetterThanTheMean) {
    auto ratings = Generated(300, 200, 60, 9);
    std::vector<RawRating> train, test;
    for (std::size_t k = 0; k < ratings.size(); ++k) (k % 5 == 0 ? test : train).push_back(ratings[k]);
    auto data = RatingData::Build(train);
    auto model = SvdTrainer::Train(data, SvdParams{});
    double mean_sq = 0;
    for (const auto& r : test) mean_sq += (r.value - data.global_mean()) * (r.value - data.global_mean());
    const double baseline = std::sqrt(mean_sq / static_cast<double>(test.size()));
    const double rmse = Rmse(model, test);
    EXPECT_LT(rmse, 0.9 * baseline) << "rmse " << rmse << " vs predicting the mean " << baseline;
}

TEST(Svd, UnbiasedModelPredictsTheMeanWhenImpossible) {
    SvdParams params;
    params.biased = false;
    params.n_factors = 3;
    auto model = SvdTrainer::Train(RatingData::Build({{"a", "x", 4}, {"b", "y", 2}}), params);
    EXPECT_EQ(model.Predict("a", "nope"), 3.0);
    EXPECT_EQ(model.Predict("nobody", "x"), 3.0);
    EXPECT_LT(model.Predict("a", "x"), 1.5);  // the dot product of small factors, clipped to 1
}

TEST(RatingCsv, RejectsMalformedLinesNamingThem) {
    auto missing = ReadRatingsCsv("/nonexistent/ratings.csv");
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message.find("/nonexistent/ratings.csv"), std::string::npos);
    auto ok = ReadRatingsCsv(std::string(RECOMMENDER_TEST_DATA) + "/surprise_custom_test.csv");
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok->size(), 3U);
    EXPECT_EQ((*ok)[2].user, "user_neverseen");
}

}  // namespace
}  // namespace orderstream::recommender
