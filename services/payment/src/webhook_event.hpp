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
// state (amounts must be integers, an order id must be a positive integer).
struct WebhookEvent {
    std::string type;  // "payment.succeeded", "refund.succeeded", ...
    std::string payment_id;
    std::string status;  // data.status: the payment's or the refund's
    std::string checkout_session_id;
    std::optional<std::uint64_t> order_id;  // data.metadata.order_id (payments only)
    std::optional<std::int64_t> total_amount;
    std::optional<std::int64_t> settlement_amount;
    std::string currency;
    std::string settlement_currency;
};

// Parses the raw body of a delivery. INVALID_ARGUMENT names what is wrong.
Result<WebhookEvent> ParseWebhookEvent(std::string_view body);

// How an event moves the order: payment.succeeded → paid, payment.failed and
// payment.cancelled → failed (the order stays payable), refund.succeeded → refunded;
// nothing for any other type (payment.processing included).
std::optional<std::string> OrderStatusFor(std::string_view event_type);

// The transaction status an event leaves behind, or nothing when the event does not
// concern a transaction.
std::optional<std::string> TransactionStatusFor(const WebhookEvent& event);

}  // namespace orderstream::payment
