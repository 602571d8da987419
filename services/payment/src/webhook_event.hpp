#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "orderstream/core/error.hpp"

namespace orderstream::payment {

// The parts of a Dodo Payments webhook delivery this service acts on. Parsing is lenient
// where the provider's payload varies between API versions (metadata values as strings or
// numbers, `payload_type` present or not) and strict where a mistake would move money
// state (amounts must be integers, ids positive integers, one JSON value and nothing after it).
struct WebhookEvent {
    std::string type;  // "payment.succeeded", "refund.succeeded", ...
    std::string payment_id;
    std::string status;  // data.status: the payment's or the refund's
    std::string checkout_session_id;
    std::optional<std::uint64_t> order_id;  // data.metadata.order_id
    std::optional<std::uint64_t> user_id;   // data.metadata.user_id
    std::optional<std::int64_t> total_amount;       // payments: what was taken
    std::optional<std::int64_t> settlement_amount;  // payments
    std::string currency;
    std::string settlement_currency;
    std::string refund_id;                  // refunds
    std::optional<std::int64_t> amount;     // refunds: what was given back
    std::string error_message;              // failed payments

    bool is_payment() const { return type.starts_with("payment."); }
    bool is_refund() const { return type.starts_with("refund."); }
};

// Parses the raw body of a delivery. INVALID_ARGUMENT names what is wrong.
Result<WebhookEvent> ParseWebhookEvent(std::string_view body);

}  // namespace orderstream::payment
