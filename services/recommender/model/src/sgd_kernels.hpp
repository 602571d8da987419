#pragma once

#include <cstddef>
#include <vector>

#include "orderstream/recommender/model/rating_data.hpp"

namespace orderstream::recommender::detail {

struct SgdStep {
    double global_mean = 0;  // 0 when unbiased
    bool biased = true;
    double lr_bu = 0, lr_bi = 0, lr_pu = 0, lr_qi = 0;
    double reg_bu = 0, reg_bi = 0, reg_pu = 0, reg_qi = 0;
};

template <typename Real>
struct FactorArrays {
    double* bu;
    double* bi;
    Real* pu;  // n_users rows of `stride` values
    Real* qi;  // n_items rows of `stride` values
    int n_factors;
    std::size_t stride;  // padding beyond n_factors is zero and stays zero
};

// One pass over `ratings` in order, Surprise's arithmetic statement for statement, in double.
void ReferenceEpoch(const std::vector<IndexedRating>& ratings, const SgdStep& step, FactorArrays<double>& arrays);

// The same updates with the factors in single precision on SIMD lanes (`stride` a multiple
// of kFastStride). The dot product is summed lane-wise and the update rearranged, so results
// differ from the reference in rounding only; they are the same on every x86-64 CPU.
inline constexpr std::size_t kFastStride = 16;
void FastEpoch(const std::vector<IndexedRating>& ratings, const SgdStep& step, FactorArrays<float>& arrays);

// The dot product of two double rows padded to a multiple of 8, summed in a fixed lane order.
double PaddedDot(const double* a, const double* b, std::size_t stride);

}  // namespace orderstream::recommender::detail
