#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "orderstream/core/error.hpp"

namespace orderstream::order {

inline constexpr std::size_t kMaxLines = 100;
inline constexpr std::uint32_t kMaxQuantity = 1000;

enum class OrderStatus { kPending, kPaid, kFailed, kCancelled, kRefunded };
std::string ToString(OrderStatus status);
Result<OrderStatus> ParseStatus(const std::string& text);

// Checks one step of the order state machine:
//   pending -> paid | failed | cancelled;  failed -> paid | cancelled;  paid -> refunded.
// Staying in the same status is allowed (webhooks arrive twice); anything else is
// FAILED_PRECONDITION naming both states.
Status CheckTransition(std::uint64_t order_id, OrderStatus from, OrderStatus to);

struct CartLine {
    std::string product_id;
    std::uint32_t quantity = 0;
};

// Rejects an empty cart, more than 100 lines, a quantity outside 1..1000, an empty id and
// the same product twice; errors name the offending line.
Status ValidateCart(const std::vector<CartLine>& lines);

// What a cart asks for, independent of line order: the same fingerprint means the same cart.
std::string CartFingerprint(const std::vector<CartLine>& lines);

struct CatalogEntry {
    std::string name;
    std::string description;
    std::int64_t price_cents = 0;
    std::int64_t seller_account_id = 0;
};

struct PricedLine {
    CartLine line;
    CatalogEntry product;
};

struct PricedOrder {
    std::vector<PricedLine> lines;
    std::int64_t total_cents = 0;
};

// Prices the cart from the catalog (never from the client): NOT_FOUND naming the first
// product missing from `catalog`, INVALID_ARGUMENT on overflow.
Result<PricedOrder> PriceCart(const std::vector<CartLine>& lines, const std::map<std::string, CatalogEntry>& catalog);

}  // namespace orderstream::order
