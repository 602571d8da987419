#include "orderstream/recommender/model/numpy_random.hpp"

#include <random>

#include <gtest/gtest.h>

namespace orderstream::recommender {
namespace {

// Values printed by numpy: np.random.RandomState(seed).normal(loc, scale, n).tolist()
TEST(NumpyRandomState, NormalDrawsAreNumpysBitForBit) {
    NumpyRandomState zero(0);
    const double expected_zero[] = {0.1764052345967664, 0.040015720836722335, 0.09787379841057392,
                                    0.2240893199201458, 0.18675579901499675};
    for (double e : expected_zero) EXPECT_EQ(zero.Normal(0, 0.1), e);

    NumpyRandomState other(42);
    const double expected_42[] = {1.4934283060224653, 0.2234713976576307, 1.795377076201385};
    for (double e : expected_42) EXPECT_EQ(other.Normal(0.5, 2), e);
}

TEST(NumpyRandomState, WordsAreMt19937s) {
    NumpyRandomState ours(5489);
    std::mt19937 reference(5489);
    for (int k = 0; k < 5000; ++k) ASSERT_EQ(ours.NextWord(), reference()) << "word " << k;
}

TEST(NumpyRandomState, UniformDoublesStayInTheUnitInterval) {
    NumpyRandomState rng(7);
    for (int k = 0; k < 10000; ++k) {
        double d = rng.NextDouble();
        ASSERT_GE(d, 0.0);
        ASSERT_LT(d, 1.0);
    }
}

}  // namespace
}  // namespace orderstream::recommender
