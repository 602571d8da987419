#include "orderstream/recommender/model/model_codec.hpp"

#include <gtest/gtest.h>

#include "orderstream/recommender/model/model_training.hpp"

namespace orderstream::recommender {
namespace {

std::shared_ptr<const RecommendationModel> Small() {
    std::vector<RawRating> ratings;
    for (int u = 0; u < 12; ++u) {
        for (int i = 0; i < 5; ++i) ratings.push_back({"user-" + std::to_string(u), "item-" + std::to_string((u + i) % 9), 1.0 + (u * i) % 3});
    }
    TrainingOptions options;
    options.svd.n_factors = 10;
    return TrainRecommendationModel(ratings, options).model;
}

TEST(ModelCodec, RoundTripServesTheSamePredictionsAndNeighbours) {
    auto model = Small();
    auto bytes = ModelCodec::Encode(*model);
    auto decoded = ModelCodec::Decode(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    const auto& copy = **decoded;
    ASSERT_EQ(copy.svd().n_users(), model->svd().n_users());
    ASSERT_EQ(copy.svd().n_items(), model->svd().n_items());
    for (std::uint32_t u = 0; u < copy.svd().n_users(); ++u) {
        EXPECT_EQ(copy.svd().users().Raw(u), model->svd().users().Raw(u));
        for (std::uint32_t i = 0; i < copy.svd().n_items(); ++i) EXPECT_EQ(copy.svd().Estimate(u, i), model->svd().Estimate(u, i));
    }
    for (std::uint32_t i = 0; i < copy.svd().n_items(); ++i) {
        auto a = copy.neighbours().Of(i);
        auto b = model->neighbours().Of(i);
        ASSERT_EQ(a.size(), b.size());
        for (std::size_t k = 0; k < a.size(); ++k) EXPECT_EQ(a[k].item, b[k].item);
    }
    EXPECT_EQ(ModelCodec::Encode(copy), bytes);
}

TEST(ModelCodec, DamagedBytesAreAnErrorNeverACrash) {
    auto bytes = ModelCodec::Encode(*Small());
    for (std::size_t length = 0; length < bytes.size(); length += 7) {
        EXPECT_FALSE(ModelCodec::Decode(std::string_view(bytes).substr(0, length)).ok()) << length;
    }
    EXPECT_FALSE(ModelCodec::Decode(bytes + "x").ok());
    auto wrong_magic = bytes;
    wrong_magic[0] = 'X';
    EXPECT_FALSE(ModelCodec::Decode(wrong_magic).ok());
    // Flipped bytes anywhere either decode to some model or fail cleanly.
    for (std::size_t at = 0; at < bytes.size(); at += 13) {
        auto flipped = bytes;
        flipped[at] = static_cast<char>(~flipped[at]);
        auto result = ModelCodec::Decode(flipped);
        if (result.ok()) {
            EXPECT_EQ((*result)->svd().n_items(), 9U);
        }
    }
}

}  // namespace
}  // namespace orderstream::recommender
