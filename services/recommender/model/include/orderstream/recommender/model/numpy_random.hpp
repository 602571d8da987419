#pragma once

#include <array>
#include <cstdint>

namespace orderstream::recommender {

// The normal draws of numpy's legacy `RandomState(seed).normal(loc, scale)`, bit for bit:
// MT19937 seeded like `init_genrand`, 53-bit doubles from two 32-bit words, and the polar
// method with its cached second value. Surprise initialises SVD factors with it, so using the
// same stream lets our model start from exactly the same point.
class NumpyRandomState {
public:
    explicit NumpyRandomState(std::uint32_t seed);

    // The next 32-bit output of MT19937 (the same sequence as std::mt19937(seed)).
    std::uint32_t NextWord();
    // A uniform double in [0, 1) (numpy's legacy_double).
    double NextDouble();
    // A standard normal draw (numpy's legacy_gauss).
    double NextGauss();
    double Normal(double loc, double scale) { return loc + scale * NextGauss(); }

private:
    // Our own engine rather than std::mt19937: the same words with 32-bit state and a
    // branch-light twist, which matters when a model draws millions of factors.
    void Twist();

    static constexpr int kStateSize = 624;
    std::array<std::uint32_t, kStateSize> state_{};
    int next_ = kStateSize;
    bool has_cached_ = false;
    double cached_ = 0;
};

}  // namespace orderstream::recommender
