#include "sgd_kernels.hpp"

#include <type_traits>

namespace orderstream::recommender::detail {
namespace {

// Fixed-width vectors. GCC lowers their arithmetic to whatever vector unit the clone below
// targets; every lane does the same IEEE operations (no contraction), so all clones give
// identical results. The unaligned, may_alias variants read and write rows in place.
typedef double Doubles __attribute__((vector_size(32)));                            // NOLINT
typedef double DoubleRow __attribute__((vector_size(32), aligned(8), may_alias));   // NOLINT
typedef float Floats __attribute__((vector_size(32)));                              // NOLINT
typedef float FloatRow __attribute__((vector_size(32), aligned(4), may_alias));     // NOLINT
constexpr std::size_t kDoubleLanes = 4;
constexpr std::size_t kFloatLanes = 8;

inline const DoubleRow& At(const double* p) { return *reinterpret_cast<const DoubleRow*>(p); }
inline const FloatRow& At(const float* p) { return *reinterpret_cast<const FloatRow*>(p); }
inline FloatRow& At(float* p) { return *reinterpret_cast<FloatRow*>(p); }

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define ORDERSTREAM_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define ORDERSTREAM_SIMD_CLONES
#endif

typedef int Mask __attribute__((vector_size(32)));  // NOLINT

// The sum of the lanes in every lane, by butterfly: each lane adds the same pairs (in
// swapped order, which IEEE addition does not mind), so all lanes hold the same value.
inline Floats SumInEveryLane(Floats v) {
    v += __builtin_shuffle(v, Mask{4, 5, 6, 7, 0, 1, 2, 3});
    v += __builtin_shuffle(v, Mask{2, 3, 0, 1, 6, 7, 4, 5});
    v += __builtin_shuffle(v, Mask{1, 0, 3, 2, 5, 4, 7, 6});
    return v;
}

// Two accumulators over pairs of vectors hide the latency of the adds; the order is fixed.
inline Floats FloatDot(const float* a, const float* b, std::size_t stride) {
    Floats acc0 = {};
    Floats acc1 = {};
    for (std::size_t f = 0; f < stride; f += 2 * kFloatLanes) {
        acc0 += At(a + f) * At(b + f);
        acc1 += At(a + f + kFloatLanes) * At(b + f + kFloatLanes);
    }
    return SumInEveryLane(acc0 + acc1);
}

ORDERSTREAM_SIMD_CLONES
double DoubleDot(const double* a, const double* b, std::size_t stride) {
    Doubles acc0 = {};
    Doubles acc1 = {};
    for (std::size_t f = 0; f < stride; f += 2 * kDoubleLanes) {
        acc0 += At(a + f) * At(b + f);
        acc1 += At(a + f + kDoubleLanes) * At(b + f + kDoubleLanes);
    }
    const Doubles sum = acc0 + acc1;
    return (sum[0] + sum[1]) + (sum[2] + sum[3]);
}

// The update of one rating is fused with the dot product of the next: while the updated
// factors are in registers, the next rating's rows are read (after the stores, so a row
// shared with the current rating is seen updated) and multiplied into the accumulators
// FloatDot() uses, in its order. The updates are Surprise's, rearranged as
//   p ← p·(1 − lr_pu·reg_pu) + (lr_pu·err)·q
// which needs three vector operations instead of five. The biases stay in double.
ORDERSTREAM_SIMD_CLONES
void FastEpochImpl(const IndexedRating* ratings, std::size_t n, const SgdStep& step, double* bu, double* bi,
                   float* pu, float* qi, std::size_t stride) {
    if (n == 0) return;
    const double mu = step.global_mean;
    const bool biased = step.biased;
    const double lr_bu = step.lr_bu, reg_bu = step.reg_bu, lr_bi = step.lr_bi, reg_bi = step.reg_bi;
    const auto keep_p = static_cast<float>(1.0 - step.lr_pu * step.reg_pu);
    const auto keep_q = static_cast<float>(1.0 - step.lr_qi * step.reg_qi);
    const auto lr_pu = static_cast<float>(step.lr_pu);
    const auto lr_qi = static_cast<float>(step.lr_qi);
    // The error stays in vector registers from one rating's dot product to the next update:
    // the chain that bounds the speed of SGD has no scalar round trip.
    Floats dot = FloatDot(qi + ratings[0].item * stride, pu + ratings[0].user * stride, stride);
    for (std::size_t k = 0; k < n; ++k) {
        const auto& r = ratings[k];
        float* p = pu + r.user * stride;
        float* q = qi + r.item * stride;
        const auto baseline = static_cast<float>(mu + bu[r.user] + bi[r.item]);
        const Floats err = static_cast<float>(r.value) - (baseline + dot);
        if (biased) {
            const double e = err[0];
            bu[r.user] += lr_bu * (e - reg_bu * bu[r.user]);
            bi[r.item] += lr_bi * (e - reg_bi * bi[r.item]);
        }
        const Floats step_p = lr_pu * err;
        const Floats step_q = lr_qi * err;
        const auto& next = ratings[k + 1 < n ? k + 1 : k];
        const float* next_p = pu + next.user * stride;
        const float* next_q = qi + next.item * stride;
        // The item row after next is somewhere in a table larger than L2: start loading it.
        if (k + 2 < n) {
            const char* ahead = reinterpret_cast<const char*>(qi + ratings[k + 2].item * stride);
            for (std::size_t line = 0; line < stride * sizeof(float); line += 64) __builtin_prefetch(ahead + line);
        }
        Floats acc0 = {};
        Floats acc1 = {};
        // Ratings come grouped by user: the next user's row is usually the one just updated,
        // taken from registers rather than read back through the store.
        auto update = [&](auto same_user) {
            for (std::size_t f = 0; f < stride; f += 2 * kFloatLanes) {
                for (std::size_t half = 0; half < 2; ++half) {
                    const std::size_t g = f + half * kFloatLanes;
                    const Floats puf = At(p + g);
                    const Floats qif = At(q + g);
                    const Floats p_new = keep_p * puf + step_p * qif;
                    At(p + g) = p_new;
                    At(q + g) = keep_q * qif + step_q * puf;
                    Floats product;
                    if constexpr (decltype(same_user)::value) {
                        product = At(next_q + g) * p_new;
                    } else {
                        product = At(next_q + g) * At(next_p + g);
                    }
                    (half == 0 ? acc0 : acc1) += product;
                }
            }
        };
        if (next.user == r.user) {
            update(std::true_type{});
        } else {
            update(std::false_type{});
        }
        dot = SumInEveryLane(acc0 + acc1);
    }
}

}  // namespace

void ReferenceEpoch(const std::vector<IndexedRating>& ratings, const SgdStep& step, FactorArrays<double>& a) {
    const double mu = step.global_mean;
    for (const auto& r : ratings) {
        double* p = a.pu + r.user * a.stride;
        double* q = a.qi + r.item * a.stride;
        double dot = 0;
        for (int f = 0; f < a.n_factors; ++f) dot += q[f] * p[f];
        const double err = r.value - (mu + a.bu[r.user] + a.bi[r.item] + dot);
        if (step.biased) {
            a.bu[r.user] += step.lr_bu * (err - step.reg_bu * a.bu[r.user]);
            a.bi[r.item] += step.lr_bi * (err - step.reg_bi * a.bi[r.item]);
        }
        for (int f = 0; f < a.n_factors; ++f) {
            const double puf = p[f];
            const double qif = q[f];
            p[f] += step.lr_pu * (err * qif - step.reg_pu * puf);
            q[f] += step.lr_qi * (err * puf - step.reg_qi * qif);
        }
    }
}

void FastEpoch(const std::vector<IndexedRating>& ratings, const SgdStep& step, FactorArrays<float>& a) {
    FastEpochImpl(ratings.data(), ratings.size(), step, a.bu, a.bi, a.pu, a.qi, a.stride);
}

double PaddedDot(const double* a, const double* b, std::size_t stride) { return DoubleDot(a, b, stride); }

}  // namespace orderstream::recommender::detail
