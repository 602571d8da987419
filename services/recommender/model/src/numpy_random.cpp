#include "orderstream/recommender/model/numpy_random.hpp"

#include <cmath>

namespace orderstream::recommender {
namespace {

constexpr int kShift = 397;
constexpr std::uint32_t kMatrix = 0x9908b0dfU;
constexpr std::uint32_t kUpper = 0x80000000U;
constexpr std::uint32_t kLower = 0x7fffffffU;

inline std::uint32_t Mix(std::uint32_t current, std::uint32_t next, std::uint32_t shifted) {
    const std::uint32_t y = (current & kUpper) | (next & kLower);
    return shifted ^ (y >> 1) ^ ((y & 1U) != 0 ? kMatrix : 0U);
}

}  // namespace

NumpyRandomState::NumpyRandomState(std::uint32_t seed) {
    state_[0] = seed;
    for (int k = 1; k < kStateSize; ++k) {
        state_[k] = 1812433253U * (state_[k - 1] ^ (state_[k - 1] >> 30)) + static_cast<std::uint32_t>(k);
    }
}

void NumpyRandomState::Twist() {
    int k = 0;
    for (; k < kStateSize - kShift; ++k) state_[k] = Mix(state_[k], state_[k + 1], state_[k + kShift]);
    for (; k < kStateSize - 1; ++k) state_[k] = Mix(state_[k], state_[k + 1], state_[k + kShift - kStateSize]);
    state_[kStateSize - 1] = Mix(state_[kStateSize - 1], state_[0], state_[kShift - 1]);
    next_ = 0;
}

std::uint32_t NumpyRandomState::NextWord() {
    if (next_ >= kStateSize) Twist();
    std::uint32_t y = state_[next_++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= y >> 18;
    return y;
}

double NumpyRandomState::NextDouble() {
    const std::uint32_t a = NextWord() >> 5;
    const std::uint32_t b = NextWord() >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
}

double NumpyRandomState::NextGauss() {
    if (has_cached_) {
        has_cached_ = false;
        return cached_;
    }
    double x1 = 0;
    double x2 = 0;
    double r2 = 0;
    do {
        x1 = 2.0 * NextDouble() - 1.0;
        x2 = 2.0 * NextDouble() - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    const double f = std::sqrt(-2.0 * std::log(r2) / r2);
    cached_ = f * x1;
    has_cached_ = true;
    return f * x2;
}

}  // namespace orderstream::recommender
