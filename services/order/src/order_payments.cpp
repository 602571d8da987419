#include "order_payments.hpp"

#include <spdlog/spdlog.h>

#include "orderstream/contracts/order_events.hpp"
#include "orderstream/core/money.hpp"

namespace orderstream::order {
namespace {

std::string Amount(std::int64_t cents, const std::string& currency) {
    return money::FormatMajorUnits(cents) + " " + currency;
}

PaymentDecision Move(OrderStatus to, std::string reason) { return {PaymentDecision::Kind::kMove, to, std::move(reason)}; }
PaymentDecision Refuse(std::string reason) {
    return {PaymentDecision::Kind::kRefuse, OrderStatus::kPending, std::move(reason)};
}
PaymentDecision Ignore(std::string reason) {
    return {PaymentDecision::Kind::kIgnore, OrderStatus::kPending, std::move(reason)};
}
PaymentDecision AlreadyDone() { return {PaymentDecision::Kind::kAlreadyDone, OrderStatus::kPending, {}}; }

void Record(pqxx::work& tx, const events::Envelope& event, std::uint64_t order_id, const std::string& payment_id,
            const std::optional<LockedOrder>& order, const std::string& reason) {
    std::optional<std::string> status;
    if (order) status = ToString(order->status);
    tx.exec_params0(
        "INSERT INTO refused_payment_events (event_id, order_id, event_type, payment_id, order_status, reason) "
        "VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6) ON CONFLICT (event_id) DO NOTHING",
        event.id, static_cast<std::int64_t>(std::min<std::uint64_t>(order_id, INT64_MAX)), event.type, payment_id,
        status, reason);
}

// Applies a decision about `order_id` (locked in `order` when it exists).
Status Apply(pqxx::work& tx, const events::Envelope& event, std::uint64_t order_id, std::uint64_t account_id,
             const std::string& payment_id, const std::optional<LockedOrder>& order, const PaymentDecision& decision) {
    switch (decision.kind) {
        case PaymentDecision::Kind::kAlreadyDone: return Status::Ok();
        case PaymentDecision::Kind::kMove: {
            auto moved = MoveOrder(tx, *order, decision.to, decision.reason, payment_id);
            if (moved.ok()) spdlog::info("order {} is {}: {}", order_id, ToString(decision.to), decision.reason);
            // The decision checked the transition; a refusal here is a bug, not bad input.
            if (!moved.ok()) throw std::logic_error(moved.error().message);
            return Status::Ok();
        }
        case PaymentDecision::Kind::kIgnore:
            spdlog::info("order {}: {} changes nothing: {}", order_id, event.type, decision.reason);
            Record(tx, event, order_id, payment_id, order, decision.reason);
            return Status::Ok();
        case PaymentDecision::Kind::kRefuse: {
            spdlog::warn("order {} refuses payment {}: {}", order_id, payment_id, decision.reason);
            Record(tx, event, order_id, payment_id, order, decision.reason);
            contracts::OrderPaymentRefused refused;
            refused.order_id = order_id;
            refused.account_id = order ? order->account_id : account_id;
            refused.payment_id = payment_id;
            refused.order_status = order ? ToString(order->status) : "";
            refused.reason = decision.reason;
            refused.at = events::NowRfc3339();
            contracts::Publish(tx, refused);
            return Status::Ok();
        }
    }
    return Status::Ok();
}

}  // namespace

PaymentDecision DecidePaymentSucceeded(const LockedOrder& order, const contracts::PaymentSucceeded& payment) {
    if (payment.account_id != order.account_id) {
        return Refuse("the payment names account " + std::to_string(payment.account_id) + ", the order belongs to " +
                      std::to_string(order.account_id));
    }
    if (payment.currency != order.currency || payment.amount_cents != order.total_cents) {
        return Refuse("the payment of " + Amount(payment.amount_cents, payment.currency) + " is not the order's total of " +
                      Amount(order.total_cents, order.currency));
    }
    switch (order.status) {
        case OrderStatus::kPending:
        case OrderStatus::kFailed: return Move(OrderStatus::kPaid, "payment " + payment.payment_id + " succeeded");
        case OrderStatus::kPaid:
            if (order.paid_payment_id == payment.payment_id) return AlreadyDone();
            return Refuse("the order is already paid by payment " + order.paid_payment_id);
        case OrderStatus::kCancelled: return Refuse("the order was cancelled");
        case OrderStatus::kRefunded: return Refuse("the order was refunded");
    }
    return Refuse("the order cannot be paid");
}

PaymentDecision DecidePaymentFailed(const LockedOrder& order, const contracts::PaymentFailed& failure) {
    if (order.status == OrderStatus::kFailed) return AlreadyDone();
    if (order.status != OrderStatus::kPending) return Ignore("the order is " + ToString(order.status));
    auto reason = "payment " + (failure.payment_id.empty() ? std::string("attempt") : failure.payment_id) + " failed";
    if (!failure.reason.empty()) reason += ": " + failure.reason;
    return Move(OrderStatus::kFailed, reason);
}

PaymentDecision DecidePaymentRefunded(const LockedOrder& order, const contracts::PaymentRefunded& refund) {
    if (refund.payment_id != order.paid_payment_id) {
        return Ignore("payment " + refund.payment_id + " did not pay this order (an extra payment given back)");
    }
    if (order.status == OrderStatus::kRefunded) return AlreadyDone();
    if (!refund.fully_refunded) {
        return Ignore("a partial refund (" + Amount(refund.refunded_total_cents, refund.currency) + " of " +
                      Amount(refund.payment_amount_cents, refund.currency) + "); the order stays " +
                      ToString(order.status));
    }
    if (order.status != OrderStatus::kPaid) return Ignore("the order is " + ToString(order.status));
    return Move(OrderStatus::kRefunded, "payment " + refund.payment_id + " refunded in full");
}

Status ApplyPaymentEvent(pqxx::work& tx, const events::Envelope& event) {
    if (auto paid = contracts::Read<contracts::PaymentSucceeded>(event); !paid.ok()) {
        return paid.error();
    } else if (paid->has_value()) {
        const auto& payment = **paid;
        auto order = LockOrder(tx, payment.order_id);
        auto decision = order ? DecidePaymentSucceeded(*order, payment)
                              : Refuse("there is no order " + std::to_string(payment.order_id));
        return Apply(tx, event, payment.order_id, payment.account_id, payment.payment_id, order, decision);
    }
    if (auto failed = contracts::Read<contracts::PaymentFailed>(event); !failed.ok()) {
        return failed.error();
    } else if (failed->has_value()) {
        const auto& failure = **failed;
        auto order = LockOrder(tx, failure.order_id);
        auto decision = order ? DecidePaymentFailed(*order, failure)
                              : Ignore("there is no order " + std::to_string(failure.order_id));
        return Apply(tx, event, failure.order_id, failure.account_id, failure.payment_id, order, decision);
    }
    if (auto refunded = contracts::Read<contracts::PaymentRefunded>(event); !refunded.ok()) {
        return refunded.error();
    } else if (refunded->has_value()) {
        const auto& refund = **refunded;
        auto order = LockOrder(tx, refund.order_id);
        auto decision = order ? DecidePaymentRefunded(*order, refund)
                              : Ignore("there is no order " + std::to_string(refund.order_id));
        return Apply(tx, event, refund.order_id, refund.account_id, refund.payment_id, order, decision);
    }
    return Status::Ok();  // another type: not the order's to apply
}

}  // namespace orderstream::order
