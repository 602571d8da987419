#pragma once

#include <cstdint>
#include <string>

#include "orderstream/contracts/event.hpp"
#include "orderstream/contracts/topics.hpp"

namespace orderstream::contracts {

// interaction_events, key account id: a signed-in caller looked at a product (the seed's
// product_retrieved {user_id, product_id}).
struct ProductViewed {
    std::string user_id;  // the seed's readers take a JSON string or integer
    std::string product_id;

    static constexpr std::string_view kTopic = topics::kInteractionEvents;
    static constexpr std::string_view kType = "product_retrieved";
    std::string_view Type() const { return kType; }
    std::string Key() const { return user_id; }
    std::string ToJson() const;
    static bool Handles(std::string_view type) { return type == kType; }
    static Result<ProductViewed> Parse(std::string_view type, std::string_view data_json);
};

// interaction_events, key account id: one line of an order that was paid (the seed's
// purchase {user_id, product_id} plus quantity and order_id). Kept for the seed's readers;
// the recommender counts purchases from order_events, where a refund takes them back.
struct PurchaseMade {
    std::string user_id;
    std::string product_id;
    std::uint32_t quantity = 0;
    std::uint64_t order_id = 0;

    static constexpr std::string_view kTopic = topics::kInteractionEvents;
    static constexpr std::string_view kType = "purchase";
    std::string_view Type() const { return kType; }
    std::string Key() const { return user_id; }
    std::string ToJson() const;
    static bool Handles(std::string_view type) { return type == kType; }
    static Result<PurchaseMade> Parse(std::string_view type, std::string_view data_json);
};

}  // namespace orderstream::contracts
