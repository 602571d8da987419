#include "orderstream/recommender/model/item_neighbours.hpp"

#include <algorithm>
#include <cmath>

namespace orderstream::recommender {

ItemNeighbours ItemNeighbours::Build(const RatingData& data, Options options) {
    struct Weighted {
        std::uint32_t item;
        double rating;
    };
    struct Rater {
        std::uint32_t user;
        double rating;
    };
    const auto n_items = static_cast<std::uint32_t>(data.items().size());
    const auto n_users = data.users().size();
    // user -> distinct items with their strongest rating (capped), then item -> users.
    std::vector<std::vector<Weighted>> user_items(n_users);
    for (const auto& r : data.ratings()) {
        auto& items = user_items[r.user];
        if (items.size() < options.max_items_per_user) items.push_back({r.item, r.value});
    }
    std::vector<double> item_norm(n_items, 0.0);
    for (auto& items : user_items) {
        std::sort(items.begin(), items.end(), [](const Weighted& a, const Weighted& b) {
            return a.item != b.item ? a.item < b.item : a.rating > b.rating;
        });
        items.erase(std::unique(items.begin(), items.end(),
                                [](const Weighted& a, const Weighted& b) { return a.item == b.item; }),
                    items.end());
        for (const auto& w : items) item_norm[w.item] += w.rating * w.rating;
    }
    for (auto& norm : item_norm) norm = std::sqrt(norm);
    std::vector<std::vector<Rater>> item_users(n_items);
    for (std::uint32_t u = 0; u < n_users; ++u) {
        for (const auto& w : user_items[u]) item_users[w.item].push_back({u, w.rating});
    }

    ItemNeighbours result;
    result.offsets_.reserve(n_items + 1);
    result.offsets_.push_back(0);
    std::vector<double> together(n_items, 0.0);
    std::vector<std::uint32_t> touched;
    std::vector<Neighbour> row;
    for (std::uint32_t i = 0; i < n_items; ++i) {
        touched.clear();
        for (const auto& by : item_users[i]) {
            for (const auto& w : user_items[by.user]) {
                if (w.item == i) continue;
                if (together[w.item] == 0) touched.push_back(w.item);
                together[w.item] += by.rating * w.rating;
            }
        }
        row.clear();
        for (auto j : touched) {
            const double norms = item_norm[i] * item_norm[j];
            if (norms > 0) row.push_back({j, static_cast<float>(together[j] / norms)});
            together[j] = 0;
        }
        auto better = [](const Neighbour& a, const Neighbour& b) {
            return a.similarity != b.similarity ? a.similarity > b.similarity : a.item < b.item;
        };
        const auto keep = std::min(row.size(), options.per_item);
        std::partial_sort(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(keep), row.end(), better);
        result.entries_.insert(result.entries_.end(), row.begin(), row.begin() + static_cast<std::ptrdiff_t>(keep));
        result.offsets_.push_back(static_cast<std::uint32_t>(result.entries_.size()));
    }
    return result;
}

std::span<const Neighbour> ItemNeighbours::Of(std::uint32_t item) const {
    if (item + 1 >= offsets_.size()) return {};
    return {entries_.data() + offsets_[item], offsets_[item + 1] - offsets_[item]};
}

ItemNeighbours ItemNeighbours::FromParts(std::vector<std::uint32_t> offsets, std::vector<Neighbour> entries) {
    ItemNeighbours result;
    result.offsets_ = std::move(offsets);
    result.entries_ = std::move(entries);
    return result;
}

}  // namespace orderstream::recommender
