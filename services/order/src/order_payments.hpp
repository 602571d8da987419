#pragma once

#include <string>

#include <pqxx/pqxx>

#include "order_transitions.hpp"
#include "orderstream/contracts/payment_events.hpp"
#include "orderstream/core/error.hpp"
#include "orderstream/events/envelope.hpp"

namespace orderstream::order {

// What a verified payment (from payment_events) does to the order it names. The order role is
// the one authority on an order's state: the payment service decides whether money was taken
// correctly, this decides whether the order can take it.
struct PaymentDecision {
    enum class Kind {
        kMove,         // move to `to`
        kAlreadyDone,  // a repeat of what already happened: nothing to do or record
        kIgnore,       // nothing changes; recorded with the reason
        kRefuse,       // money the order cannot take: recorded, and order.payment_refused tells
                       // the payment service to give it back
    };
    Kind kind = Kind::kIgnore;
    OrderStatus to = OrderStatus::kPending;
    std::string reason;
};

// The order's amount, in its currency, by its buyer, for an order still pending or failed:
// paid. The payment that already paid it: nothing. Anything else is refused.
PaymentDecision DecidePaymentSucceeded(const LockedOrder& order, const contracts::PaymentSucceeded& payment);
// A failed attempt makes a pending order failed (still payable); later than a success it changes nothing.
PaymentDecision DecidePaymentFailed(const LockedOrder& order, const contracts::PaymentFailed& failure);
// A full refund of the payment that paid the order makes it refunded; a partial one, or one of
// another payment (an extra payment given back), leaves it as it is.
PaymentDecision DecidePaymentRefunded(const LockedOrder& order, const contracts::PaymentRefunded& refund);

// The order role's handler for payment_events, in the consumer's transaction: the order row is
// locked, the decision applied, and what could not apply recorded in refused_payment_events.
Status ApplyPaymentEvent(pqxx::work& tx, const events::Envelope& event);

}  // namespace orderstream::order
