#pragma once

#include <optional>
#include <string_view>

#include "orderstream/contracts/order_events.hpp"
#include "orderstream/core/error.hpp"

namespace orderstream::gateway {

// One status change of an order, as `order_events` carries it (libs/contracts).
using OrderStatusChange = contracts::OrderStatusChanged;

// Reads one `order_events` record: the envelope, then its order.status_changed data through the shared
// contract, and the key, which must be that order's id. nullopt for the topic's other event types
// (order.created, order.payment_refused); InvalidArgument naming the problem for anything malformed.
Result<std::optional<OrderStatusChange>> ParseOrderEventRecord(std::string_view key, std::string_view value);

}  // namespace orderstream::gateway
