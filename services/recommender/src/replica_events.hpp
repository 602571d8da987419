#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "orderstream/core/error.hpp"
#include "orderstream/events/envelope.hpp"

namespace orderstream::recommender {

// A product_events message as the replica applies it.
struct ProductChange {
    enum class Kind { kUpsert, kDelete };
    Kind kind = Kind::kUpsert;
    std::string product_id;
    std::string name;
    std::string description;
    std::int64_t price_cents = 0;
    std::string currency = "USD";
    std::int64_t account_id = 0;
};

// An interaction_events message: the seed weights a purchase 3 and a product view 1.
struct Interaction {
    std::string user_id;
    std::string product_id;
    int rating = 0;
};

inline constexpr int kPurchaseRating = 3;
inline constexpr int kViewRating = 1;

// product_created / product_updated / product_deleted. Other types: nullopt (not ours to
// apply). Malformed data: InvalidArgument naming the field.
Result<std::optional<ProductChange>> ParseProductEvent(const events::Envelope& event);

// purchase / product_retrieved. user_id may be a JSON string or integer (the seed's readers
// take both). Other types: nullopt. Malformed data: InvalidArgument naming the field.
Result<std::optional<Interaction>> ParseInteractionEvent(const events::Envelope& event);

}  // namespace orderstream::recommender
