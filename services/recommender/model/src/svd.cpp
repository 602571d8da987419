#include "orderstream/recommender/model/svd.hpp"

#include <algorithm>
#include <cmath>
#include <new>
#include <stdexcept>
#include <type_traits>

#include "orderstream/recommender/model/numpy_random.hpp"
#include "sgd_kernels.hpp"

namespace orderstream::recommender {

namespace {

template <typename T>
struct CacheLineAllocator {
    using value_type = T;
    static constexpr std::align_val_t kAlignment{64};
    CacheLineAllocator() = default;
    template <typename U>
    CacheLineAllocator(const CacheLineAllocator<U>&) {}  // NOLINT(google-explicit-constructor)
    T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlignment)); }
    void deallocate(T* p, std::size_t) { ::operator delete(p, kAlignment); }
    bool operator==(const CacheLineAllocator&) const { return true; }
};

}  // namespace

std::size_t FactorStride(int n_factors) {
    auto k = static_cast<std::size_t>(std::max(n_factors, 1));
    return (k + 7) / 8 * 8;
}

double SvdModel::Estimate(std::optional<std::uint32_t> user, std::optional<std::uint32_t> item) const {
    const bool both = user.has_value() && item.has_value();
    if (!biased_) {
        // Surprise raises PredictionImpossible and predict() falls back to the global mean.
        if (!both) return global_mean_;
        return detail::PaddedDot(item_factors(*item), user_factors(*user), stride_);
    }
    double estimate = global_mean_;
    if (user) estimate += bu_[*user];
    if (item) estimate += bi_[*item];
    if (both) estimate += detail::PaddedDot(item_factors(*item), user_factors(*user), stride_);
    return estimate;
}

double SvdModel::Predict(const std::string& user, const std::string& item) const {
    return std::clamp(Estimate(users_->Find(user), items_->Find(item)), rating_min_, rating_max_);
}

std::size_t SvdModel::MemoryBytes() const {
    std::size_t bytes = (bu_.capacity() + bi_.capacity() + pu_.capacity() + qi_.capacity()) * sizeof(double);
    for (const auto* ids : {users_.get(), items_.get()}) {
        for (const auto& id : ids->all()) {
            // the string in the id list and its copy as a hash-map key, with node overhead
            bytes += 2 * (sizeof(std::string) + (id.size() > 15 ? id.size() + 1 : 0)) + 32;
        }
    }
    return bytes;
}

SvdModel SvdTrainer::Train(const RatingData& data, const SvdParams& params, SgdKernel kernel) {
    if (params.n_factors < 1 || params.n_epochs < 0) throw std::invalid_argument("SVD needs n_factors >= 1");
    SvdModel model;
    model.n_factors_ = params.n_factors;
    model.stride_ = FactorStride(params.n_factors);
    model.biased_ = params.biased;
    model.global_mean_ = data.global_mean();
    model.rating_min_ = params.rating_min;
    model.rating_max_ = params.rating_max;
    model.users_ = data.shared_users();
    model.items_ = data.shared_items();
    const std::size_t n_users = data.users().size();
    const std::size_t n_items = data.items().size();
    model.bu_.assign(n_users, 0.0);
    model.bi_.assign(n_items, 0.0);

    detail::SgdStep step;
    step.biased = params.biased;
    step.global_mean = params.biased ? data.global_mean() : 0.0;
    step.lr_bu = params.lr_bu.value_or(params.lr_all);
    step.lr_bi = params.lr_bi.value_or(params.lr_all);
    step.lr_pu = params.lr_pu.value_or(params.lr_all);
    step.lr_qi = params.lr_qi.value_or(params.lr_all);
    step.reg_bu = params.reg_bu.value_or(params.reg_all);
    step.reg_bi = params.reg_bi.value_or(params.reg_all);
    step.reg_pu = params.reg_pu.value_or(params.reg_all);
    step.reg_qi = params.reg_qi.value_or(params.reg_all);

    // Users' factors, then items', row-major: numpy's order of draws.
    NumpyRandomState rng(params.random_state);
    auto fill = [&](auto& rows, std::size_t n_rows, std::size_t stride) {
        using Real = typename std::decay_t<decltype(rows)>::value_type;
        rows.assign(n_rows * stride, Real{0});
        for (std::size_t row = 0; row < n_rows; ++row) {
            for (int f = 0; f < params.n_factors; ++f) {
                rows[row * stride + f] = static_cast<Real>(rng.Normal(params.init_mean, params.init_std_dev));
            }
        }
    };
    if (kernel == SgdKernel::kReference) {
        fill(model.pu_, n_users, model.stride_);
        fill(model.qi_, n_items, model.stride_);
        detail::FactorArrays<double> arrays{model.bu_.data(), model.bi_.data(), model.pu_.data(),
                                            model.qi_.data(), params.n_factors, model.stride_};
        for (int epoch = 0; epoch < params.n_epochs; ++epoch) detail::ReferenceEpoch(data.ratings(), step, arrays);
    } else {
        const std::size_t stride = (model.stride_ + detail::kFastStride - 1) / detail::kFastStride * detail::kFastStride;
        // Rows start on cache lines (stride is 64 bytes' worth), so no vector load straddles two.
        std::vector<float, CacheLineAllocator<float>> pu, qi;
        fill(pu, n_users, stride);
        fill(qi, n_items, stride);
        detail::FactorArrays<float> arrays{model.bu_.data(), model.bi_.data(), pu.data(), qi.data(), params.n_factors,
                                           stride};
        for (int epoch = 0; epoch < params.n_epochs; ++epoch) detail::FastEpoch(data.ratings(), step, arrays);
        model.pu_.assign(n_users * model.stride_, 0.0);
        model.qi_.assign(n_items * model.stride_, 0.0);
        for (std::size_t u = 0; u < n_users; ++u) {
            std::copy_n(pu.data() + u * stride, params.n_factors, model.pu_.data() + u * model.stride_);
        }
        for (std::size_t i = 0; i < n_items; ++i) {
            std::copy_n(qi.data() + i * stride, params.n_factors, model.qi_.data() + i * model.stride_);
        }
    }
    return model;
}

double Rmse(const SvdModel& model, const std::vector<RawRating>& ratings) {
    if (ratings.empty()) return 0;
    double sum = 0;
    for (const auto& r : ratings) {
        const double err = r.value - model.Predict(r.user, r.item);
        sum += err * err;
    }
    return std::sqrt(sum / static_cast<double>(ratings.size()));
}

}  // namespace orderstream::recommender
