#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "orderstream/recommender/model/rating_data.hpp"

namespace orderstream::recommender {

struct Neighbour {
    std::uint32_t item = 0;
    float similarity = 0;
};

// Item-item co-occurrence: for every item, the items most strongly interacted with by the same
// users, scored as the cosine of the items' rating vectors over users,
//   Σ_u r_ui·r_uj / sqrt(Σ_u r_ui² · Σ_u r_uj²),
// so two purchases together weigh more than a purchase next to a mere view. Best first.
class ItemNeighbours {
public:
    struct Options {
        std::size_t per_item = 50;  // neighbours kept per item
        // A user's pairs grow quadratically: beyond this many items only their first ones
        // (in RatingData order) count, so one heavy user cannot dominate the build time.
        std::size_t max_items_per_user = 500;
    };
    static ItemNeighbours Build(const RatingData& data, Options options);
    static ItemNeighbours Build(const RatingData& data) { return Build(data, Options{}); }

    std::span<const Neighbour> Of(std::uint32_t item) const;
    std::size_t n_items() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }

    // For the model codec.
    const std::vector<std::uint32_t>& offsets() const { return offsets_; }
    const std::vector<Neighbour>& entries() const { return entries_; }
    static ItemNeighbours FromParts(std::vector<std::uint32_t> offsets, std::vector<Neighbour> entries);

private:
    std::vector<std::uint32_t> offsets_;  // CSR: n_items + 1
    std::vector<Neighbour> entries_;
};

}  // namespace orderstream::recommender
