#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace orderstream::recommender {

// One rating as it arrives: raw user and item ids.
struct RawRating {
    std::string user;
    std::string item;
    double value = 0;
};

// A rating between dense indexes of a RatingData.
struct IndexedRating {
    std::uint32_t user = 0;
    std::uint32_t item = 0;
    double value = 0;
};

// Dense ids for raw ids, in order of first appearance.
class IdIndex {
public:
    std::uint32_t Add(const std::string& raw);  // existing index, or the next one
    std::optional<std::uint32_t> Find(const std::string& raw) const;
    const std::string& Raw(std::uint32_t index) const { return raw_[index]; }
    std::size_t size() const { return raw_.size(); }
    const std::vector<std::string>& all() const { return raw_; }

private:
    std::vector<std::string> raw_;
    std::unordered_map<std::string, std::uint32_t> index_;
};

// Training data laid out as Surprise's Trainset: users and items numbered by first appearance,
// ratings grouped by user in user-index order and in input order within a user (the order of
// `Trainset.all_ratings()`, which SGD follows).
class RatingData {
public:
    static RatingData Build(const std::vector<RawRating>& ratings);

    const IdIndex& users() const { return *users_; }
    const IdIndex& items() const { return *items_; }
    // Shared with the models trained on this data rather than copied.
    std::shared_ptr<const IdIndex> shared_users() const { return users_; }
    std::shared_ptr<const IdIndex> shared_items() const { return items_; }
    const std::vector<IndexedRating>& ratings() const { return ratings_; }
    double global_mean() const { return global_mean_; }

private:
    std::shared_ptr<IdIndex> users_ = std::make_shared<IdIndex>();
    std::shared_ptr<IdIndex> items_ = std::make_shared<IdIndex>();
    std::vector<IndexedRating> ratings_;
    double global_mean_ = 0;
};

}  // namespace orderstream::recommender
