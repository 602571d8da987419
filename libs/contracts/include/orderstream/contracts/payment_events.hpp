#pragma once

#include <cstdint>
#include <string>

#include "orderstream/contracts/event.hpp"
#include "orderstream/contracts/topics.hpp"

namespace orderstream::contracts {

// payment_events, key order id: written by the payment service only after it verified the
// provider's signed webhook against the transaction it names (amount, currency, order, user).

// The order's amount was taken, once: the order may become paid.
struct PaymentSucceeded {
    std::uint64_t order_id = 0;
    std::uint64_t account_id = 0;
    std::uint64_t transaction_id = 0;
    std::string payment_id;
    std::string checkout_session_id;
    std::int64_t amount_cents = 0;
    std::string currency;
    std::string at;

    static constexpr std::string_view kTopic = topics::kPaymentEvents;
    static constexpr std::string_view kType = "payment.succeeded";
    std::string_view Type() const { return kType; }
    std::string Key() const { return std::to_string(order_id); }
    std::string ToJson() const;
    static bool Handles(std::string_view type) { return type == kType; }
    static Result<PaymentSucceeded> Parse(std::string_view type, std::string_view data_json);
};

// An attempt to pay the order failed (declined, cancelled): the order may still be paid.
struct PaymentFailed {
    std::uint64_t order_id = 0;
    std::uint64_t account_id = 0;
    std::uint64_t transaction_id = 0;
    std::string payment_id;
    std::string reason;
    std::string at;

    static constexpr std::string_view kTopic = topics::kPaymentEvents;
    static constexpr std::string_view kType = "payment.failed";
    std::string_view Type() const { return kType; }
    std::string Key() const { return std::to_string(order_id); }
    std::string ToJson() const;
    static bool Handles(std::string_view type) { return type == kType; }
    static Result<PaymentFailed> Parse(std::string_view type, std::string_view data_json);
};

// The provider confirmed a refund of a payment of the order. `refunded_total_cents` is all
// that has been refunded of that payment so far; `fully_refunded` when it reached the amount
// taken.
struct PaymentRefunded {
    std::uint64_t order_id = 0;
    std::uint64_t account_id = 0;
    std::uint64_t transaction_id = 0;
    std::string payment_id;
    std::string refund_id;
    std::int64_t amount_cents = 0;
    std::int64_t refunded_total_cents = 0;
    std::int64_t payment_amount_cents = 0;
    std::string currency;
    bool fully_refunded = false;
    std::string at;

    static constexpr std::string_view kTopic = topics::kPaymentEvents;
    static constexpr std::string_view kType = "payment.refunded";
    std::string_view Type() const { return kType; }
    std::string Key() const { return std::to_string(order_id); }
    std::string ToJson() const;
    static bool Handles(std::string_view type) { return type == kType; }
    static Result<PaymentRefunded> Parse(std::string_view type, std::string_view data_json);
};

}  // namespace orderstream::contracts
