#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "orderstream/contracts/event.hpp"
#include "orderstream/contracts/topics.hpp"

namespace orderstream::contracts {

struct OrderLine {
    std::string product_id;
    std::string name;
    std::int64_t unit_price_cents = 0;
    std::uint32_t quantity = 0;
};

// order_events, key order id: an order was placed (always `pending`), with its line snapshot.
struct OrderCreated {
    std::uint64_t order_id = 0;
    std::uint64_t account_id = 0;
    std::int64_t total_cents = 0;
    std::string currency;
    std::vector<OrderLine> lines;
    std::string created_at;  // RFC 3339

    static constexpr std::string_view kTopic = topics::kOrderEvents;
    static constexpr std::string_view kType = "order.created";
    std::string_view Type() const { return kType; }
    std::string Key() const { return std::to_string(order_id); }
    std::string ToJson() const;
    static bool Handles(std::string_view type) { return type == kType; }
    static Result<OrderCreated> Parse(std::string_view type, std::string_view data_json);
};

// order_events, key order id: one transition of the order state machine, written in the
// transaction that made it. `payment_id` names the payment behind paid and refunded.
struct OrderStatusChanged {
    std::uint64_t order_id = 0;
    std::uint64_t account_id = 0;
    std::string from;
    std::string to;
    std::string reason;
    std::string at;  // RFC 3339
    std::string payment_id;

    static constexpr std::string_view kTopic = topics::kOrderEvents;
    static constexpr std::string_view kType = "order.status_changed";
    std::string_view Type() const { return kType; }
    std::string Key() const { return std::to_string(order_id); }
    std::string ToJson() const;
    static bool Handles(std::string_view type) { return type == kType; }
    static Result<OrderStatusChanged> Parse(std::string_view type, std::string_view data_json);
};

// order_events, key order id: a payment succeeded for an order that cannot take it (already
// paid by another payment, cancelled, refunded, or the amount is not the order's total). The
// payment service refunds it.
struct OrderPaymentRefused {
    std::uint64_t order_id = 0;
    std::uint64_t account_id = 0;
    std::string payment_id;
    std::string order_status;  // empty when there is no such order
    std::string reason;
    std::string at;

    static constexpr std::string_view kTopic = topics::kOrderEvents;
    static constexpr std::string_view kType = "order.payment_refused";
    std::string_view Type() const { return kType; }
    std::string Key() const { return std::to_string(order_id); }
    std::string ToJson() const;
    static bool Handles(std::string_view type) { return type == kType; }
    static Result<OrderPaymentRefused> Parse(std::string_view type, std::string_view data_json);
};

}  // namespace orderstream::contracts
