#pragma once

#include <functional>

#include <pqxx/pqxx>

#include "orderstream/core/error.hpp"
#include "orderstream/events/envelope.hpp"
#include "payment_provider.hpp"

namespace orderstream::payment {

// The payment role's handler for order_events, in the consumer's transaction:
//  - an order that became paid, cancelled or refunded can no longer be paid through its other
//    checkouts: they are closed, and expired at the provider where it can (the sandbox);
//  - a payment the order refused (order.payment_refused) is no longer the order's payment: it
//    is recorded as an anomaly and refunded in full.
class OrderEventsHandler {
public:
    // `refund_requested` wakes the refund worker after a refund was queued.
    OrderEventsHandler(PaymentProvider& provider, std::function<void()> refund_requested);

    Status Apply(pqxx::work& tx, const events::Envelope& event);

private:
    PaymentProvider& provider_;
    std::function<void()> refund_requested_;
};

}  // namespace orderstream::payment
