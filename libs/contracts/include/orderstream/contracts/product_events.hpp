#pragma once

#include <cstdint>
#include <string>

#include "orderstream/contracts/event.hpp"
#include "orderstream/contracts/topics.hpp"

namespace orderstream::contracts {

// product_events, key product id: product_created, product_updated, product_deleted in the
// seed's shape {product_id, name, description, price (major units), accountID} plus
// price_cents and currency. A deletion needs only product_id.
struct ProductEvent {
    enum class Kind { kCreated, kUpdated, kDeleted };

    Kind kind = Kind::kCreated;
    std::string product_id;
    std::string name;
    std::string description;
    std::int64_t price_cents = 0;
    std::string currency = "USD";
    std::int64_t account_id = 0;  // the seller

    static constexpr std::string_view kTopic = topics::kProductEvents;
    std::string_view Type() const;
    std::string Key() const { return product_id; }
    std::string ToJson() const;
    static bool Handles(std::string_view type);
    // Cents when the producer sent them (ours do); otherwise the seed's float price.
    static Result<ProductEvent> Parse(std::string_view type, std::string_view data_json);
};

}  // namespace orderstream::contracts
