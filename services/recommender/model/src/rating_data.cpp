#include "orderstream/recommender/model/rating_data.hpp"

namespace orderstream::recommender {

std::uint32_t IdIndex::Add(const std::string& raw) {
    auto [it, inserted] = index_.try_emplace(raw, static_cast<std::uint32_t>(raw_.size()));
    if (inserted) raw_.push_back(raw);
    return it->second;
}

std::optional<std::uint32_t> IdIndex::Find(const std::string& raw) const {
    auto it = index_.find(raw);
    if (it == index_.end()) return std::nullopt;
    return it->second;
}

RatingData RatingData::Build(const std::vector<RawRating>& ratings) {
    RatingData data;
    std::vector<IndexedRating> in_order;
    in_order.reserve(ratings.size());
    std::vector<std::uint32_t> per_user;
    double sum = 0;
    for (const auto& r : ratings) {
        auto user = data.users_->Add(r.user);
        auto item = data.items_->Add(r.item);
        if (user == per_user.size()) per_user.push_back(0);
        ++per_user[user];
        in_order.push_back({user, item, r.value});
        sum += r.value;
    }
    // A stable counting sort by user keeps the input order within each user.
    std::vector<std::size_t> start(per_user.size() + 1, 0);
    for (std::size_t u = 0; u < per_user.size(); ++u) start[u + 1] = start[u] + per_user[u];
    data.ratings_.resize(in_order.size());
    for (const auto& r : in_order) data.ratings_[start[r.user]++] = r;
    // Surprise takes np.mean; ratings are small integers in practice, so the sum is exact.
    data.global_mean_ = ratings.empty() ? 0 : sum / static_cast<double>(ratings.size());
    return data;
}

}  // namespace orderstream::recommender
