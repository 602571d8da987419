#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "orderstream/recommender/model/rating_data.hpp"

namespace orderstream::recommender {

// Surprise's SVD hyperparameters with its defaults. The per-parameter learning rates and
// regularisation terms fall back to the *_all values, as in Surprise.
struct SvdParams {
    int n_factors = 100;
    int n_epochs = 20;
    bool biased = true;
    double init_mean = 0;
    double init_std_dev = 0.1;
    double lr_all = 0.005;
    double reg_all = 0.02;
    std::optional<double> lr_bu, lr_bi, lr_pu, lr_qi;
    std::optional<double> reg_bu, reg_bi, reg_pu, reg_qi;
    std::uint32_t random_state = 0;  // seed of numpy's RandomState
    // Predictions are clipped to this range, like Surprise's rating_scale.
    double rating_min = 1;
    double rating_max = 5;
};

// How the SGD inner loops are computed. kReference repeats Surprise's arithmetic exactly (in
// double, sequential dot product), for checking against Surprise's own numbers; kFast makes
// the same updates on SIMD lanes with the factors in single precision (about twice the work
// per instruction): the results differ from the reference in rounding only, and are the same
// on every x86-64 CPU.
enum class SgdKernel { kReference, kFast };

// A trained biased matrix factorisation: r̂ = μ + b_u + b_i + q_iᵀ p_u.
// Factor rows are stored with a stride padded to a multiple of 8 (the padding stays zero).
class SvdModel {
public:
    int n_factors() const { return n_factors_; }
    std::size_t stride() const { return stride_; }
    bool biased() const { return biased_; }
    double global_mean() const { return global_mean_; }
    const IdIndex& users() const { return *users_; }
    const IdIndex& items() const { return *items_; }
    std::size_t n_users() const { return users_->size(); }
    std::size_t n_items() const { return items_->size(); }

    double user_bias(std::uint32_t u) const { return bu_[u]; }
    double item_bias(std::uint32_t i) const { return bi_[i]; }
    const double* user_factors(std::uint32_t u) const { return pu_.data() + u * stride_; }
    const double* item_factors(std::uint32_t i) const { return qi_.data() + i * stride_; }

    // Surprise's estimate(): unknown user or item drop their terms; not clipped.
    double Estimate(std::optional<std::uint32_t> user, std::optional<std::uint32_t> item) const;
    // Surprise's predict(): by raw ids, clipped to the rating range.
    double Predict(const std::string& user, const std::string& item) const;
    double rating_min() const { return rating_min_; }
    double rating_max() const { return rating_max_; }

    // Bytes held by the model's arrays and id tables (approximate for the strings).
    std::size_t MemoryBytes() const;

private:
    friend class SvdTrainer;
    friend class ModelCodec;
    int n_factors_ = 0;
    std::size_t stride_ = 0;
    bool biased_ = true;
    double global_mean_ = 0;
    double rating_min_ = 1;
    double rating_max_ = 5;
    std::shared_ptr<const IdIndex> users_ = std::make_shared<IdIndex>();
    std::shared_ptr<const IdIndex> items_ = std::make_shared<IdIndex>();
    std::vector<double> bu_, bi_, pu_, qi_;
};

// Trains an SvdModel by SGD exactly as Surprise's SVD.fit does: factors drawn from numpy's
// RandomState(random_state) (users' then items', row-major), biases zero, n_epochs passes over
// the ratings in RatingData order without shuffling, the same error feeding the bias and
// factor updates.
class SvdTrainer {
public:
    static SvdModel Train(const RatingData& data, const SvdParams& params, SgdKernel kernel = SgdKernel::kFast);
};

// Root mean squared error of the model's clipped predictions on `ratings` (raw ids; unknown
// users or items are predicted as Surprise does). 0 for no ratings.
double Rmse(const SvdModel& model, const std::vector<RawRating>& ratings);

// The padded row length used for `n_factors` factors.
std::size_t FactorStride(int n_factors);

}  // namespace orderstream::recommender
