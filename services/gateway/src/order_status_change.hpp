#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "orderstream/core/error.hpp"

namespace orderstream::gateway {

// The topic the order service publishes order events on.
inline constexpr const char* kOrderEventsTopic = "order_events";
inline constexpr std::string_view kOrderStatusChangedType = "order.status_changed";

// One status change of an order, as `order_events` carries it.
struct OrderStatusChange {
    std::uint64_t order_id = 0;
    std::uint64_t account_id = 0;
    std::string from;
    std::string to;
    std::string reason;
    std::string at;  // RFC 3339, when the change was committed
};

// Reads one `order_events` record: key = decimal order id, value = the event envelope
// {"id","type","occurred_at","data"} whose "order.status_changed" data is
// {"order_id","account_id","from","to","reason","at"}. nullopt for the topic's other event types
// (order.created, order.payment_refused, ...); InvalidArgument naming the problem for anything
// malformed. The one place that knows the record's shape: swap it for the shared event contract
// when libs/events has one.
Result<std::optional<OrderStatusChange>> ParseOrderEventRecord(std::string_view key, std::string_view value);

}  // namespace orderstream::gateway
