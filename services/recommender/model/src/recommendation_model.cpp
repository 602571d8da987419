#include "orderstream/recommender/model/recommendation_model.hpp"

#include <algorithm>
#include <cmath>

#include "sgd_kernels.hpp"

namespace orderstream::recommender {
namespace {

std::vector<ScoredItem> Best(std::vector<ScoredItem> scored, std::size_t limit) {
    auto better = [](const ScoredItem& a, const ScoredItem& b) {
        return a.score != b.score ? a.score > b.score : a.item < b.item;
    };
    limit = std::min(limit, scored.size());
    std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(limit), scored.end(), better);
    scored.resize(limit);
    return scored;
}

bool IsExcluded(const std::vector<bool>& excluded, std::uint32_t item) {
    return item < excluded.size() && excluded[item];
}

}  // namespace

RecommendationModel::RecommendationModel(SvdModel svd, ItemNeighbours neighbours)
    : svd_(std::move(svd)), neighbours_(std::move(neighbours)) {
    item_norms_.resize(svd_.n_items());
    for (std::uint32_t i = 0; i < svd_.n_items(); ++i) {
        const double* q = svd_.item_factors(i);
        item_norms_[i] = std::sqrt(detail::PaddedDot(q, q, svd_.stride()));
    }
}

std::vector<ScoredItem> RecommendationModel::ForUser(std::uint32_t user, const std::vector<bool>& excluded,
                                                     std::size_t limit) const {
    std::vector<ScoredItem> scored;
    scored.reserve(svd_.n_items());
    for (std::uint32_t i = 0; i < svd_.n_items(); ++i) {
        if (IsExcluded(excluded, i)) continue;
        scored.push_back({i, svd_.Estimate(user, i)});
    }
    return Best(std::move(scored), limit);
}

std::vector<ScoredItem> RecommendationModel::SimilarTo(const std::vector<std::uint32_t>& viewed,
                                                       const std::vector<bool>& excluded, std::size_t limit,
                                                       double blend) const {
    const std::size_t n_items = svd_.n_items();
    std::vector<double> cosine(n_items, 0.0);
    std::vector<double> together(n_items, 0.0);
    std::vector<bool> skip(n_items, false);
    for (auto v : viewed) {
        if (v >= n_items) continue;
        skip[v] = true;
        const double* qv = svd_.item_factors(v);
        for (std::uint32_t j = 0; j < n_items; ++j) {
            const double norms = item_norms_[v] * item_norms_[j];
            if (norms > 0) cosine[j] += detail::PaddedDot(qv, svd_.item_factors(j), svd_.stride()) / norms;
        }
        for (const auto& n : neighbours_.Of(v)) together[n.item] += n.similarity;
    }
    const double count = static_cast<double>(std::max<std::size_t>(viewed.size(), 1));
    std::vector<ScoredItem> scored;
    scored.reserve(n_items);
    for (std::uint32_t j = 0; j < n_items; ++j) {
        if (skip[j] || IsExcluded(excluded, j)) continue;
        scored.push_back({j, (blend * cosine[j] + (1.0 - blend) * together[j]) / count});
    }
    return Best(std::move(scored), limit);
}

std::size_t RecommendationModel::MemoryBytes() const {
    return svd_.MemoryBytes() + item_norms_.capacity() * sizeof(double) +
           neighbours_.entries().capacity() * sizeof(Neighbour) +
           neighbours_.offsets().capacity() * sizeof(std::uint32_t);
}

}  // namespace orderstream::recommender
