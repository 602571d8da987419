#include <gtest/gtest.h>

#include "replica_store.hpp"

namespace recommender = orderstream::recommender;

TEST(Interactions, AnInteractionHoldsTheStrongestRatingThatStillCounts) {
    EXPECT_EQ(recommender::RatingOf(false, 0), 0);  // nothing: no longer an interaction
    EXPECT_EQ(recommender::RatingOf(true, 0), recommender::kViewRating);
    EXPECT_EQ(recommender::RatingOf(false, 1), recommender::kPurchaseRating);
    EXPECT_EQ(recommender::RatingOf(true, 2), recommender::kPurchaseRating);
    EXPECT_EQ(recommender::kPurchaseRating, 3);  // the seed's weights
    EXPECT_EQ(recommender::kViewRating, 1);
}
