#include "payment_decisions.hpp"

#include "orderstream/core/money.hpp"

namespace orderstream::payment {
namespace {

std::string Amount(std::int64_t cents, const std::string& currency) {
    return money::FormatMajorUnits(cents) + " " + (currency.empty() ? std::string("(no currency)") : currency);
}

WebhookDecision Anomaly(std::string kind, std::string detail, bool refund) {
    return {Verdict::kAnomaly, std::move(kind), std::move(detail), refund};
}

WebhookDecision Plain(Verdict verdict, std::string detail = {}) { return {verdict, {}, std::move(detail), false}; }

// The checks every payment that took money must pass against the transaction it names.
std::optional<WebhookDecision> Mismatch(const WebhookEvent& event, const TransactionState& transaction) {
    if (!event.total_amount || *event.total_amount != transaction.amount_cents) {
        return Anomaly("amount_mismatch",
                       "payment " + event.payment_id + " took " +
                           (event.total_amount ? Amount(*event.total_amount, event.currency) : std::string("no amount")) +
                           " for a checkout of " + Amount(transaction.amount_cents, transaction.currency),
                       true);
    }
    if (event.currency != transaction.currency) {
        return Anomaly("currency_mismatch",
                       "payment " + event.payment_id + " is in " + (event.currency.empty() ? "no currency" : event.currency) +
                           ", its checkout in " + transaction.currency,
                       true);
    }
    if (event.order_id != transaction.order_id) {
        return Anomaly("order_mismatch",
                       "payment " + event.payment_id + " names order " +
                           (event.order_id ? std::to_string(*event.order_id) : std::string("none")) +
                           "; its checkout is for order " + std::to_string(transaction.order_id),
                       true);
    }
    if (event.user_id != transaction.account_id) {
        return Anomaly("user_mismatch",
                       "payment " + event.payment_id + " names account " +
                           (event.user_id ? std::to_string(*event.user_id) : std::string("none")) +
                           "; its checkout is for account " + std::to_string(transaction.account_id),
                       true);
    }
    return std::nullopt;
}

}  // namespace

WebhookDecision DecidePaymentEvent(const WebhookEvent& event, const std::optional<TransactionState>& transaction,
                                   const std::optional<std::string>& order_paid_by) {
    bool succeeded = event.type == "payment.succeeded";
    bool failed = event.type == "payment.failed" || event.type == "payment.cancelled";
    if (!succeeded && !failed) {
        if (event.type == "payment.processing") return Plain(Verdict::kIgnore, "the payment is still processing");
        return Plain(Verdict::kIgnore, "event type " + event.type + " is not acted on");
    }
    if (!transaction) {
        if (failed) return Plain(Verdict::kIgnore, "no checkout of ours matches payment " + event.payment_id);
        return Anomaly("unknown_payment",
                       "payment " + event.payment_id + " of " +
                           Amount(event.total_amount.value_or(0), event.currency) +
                           " matches no checkout of ours (session " +
                           (event.checkout_session_id.empty() ? std::string("none") : event.checkout_session_id) + ")",
                       true);
    }
    const auto& t = *transaction;
    if (!t.payment_id.empty() && t.payment_id != event.payment_id && t.money_taken()) {
        if (failed) return Plain(Verdict::kIgnore, "checkout " + t.checkout_session_id + " was already paid");
        return Anomaly("second_payment",
                       "checkout " + t.checkout_session_id + " was already paid by " + t.payment_id + "; payment " +
                           event.payment_id + " took money again",
                       true);
    }
    if (failed) {
        if (t.money_taken()) return Plain(Verdict::kIgnore, "a failure reported after the payment succeeded");
        if (t.status == "failed") return Plain(Verdict::kDuplicate);
        return Plain(Verdict::kFailure, event.error_message.empty() ? std::string("the payment failed")
                                                                     : event.error_message.substr(0, 200));
    }
    if (t.money_taken() && t.payment_id == event.payment_id) return Plain(Verdict::kDuplicate);
    if (auto mismatch = Mismatch(event, t)) return *mismatch;
    if (order_paid_by) {
        return Anomaly("duplicate_payment",
                       "order " + std::to_string(t.order_id) + " is already paid by payment " + *order_paid_by +
                           "; payment " + event.payment_id + " is a second charge",
                       true);
    }
    if (t.status == "closed") {
        return Anomaly("payment_for_closed_checkout",
                       "checkout " + t.checkout_session_id + " could no longer be paid (" + "order " +
                           std::to_string(t.order_id) + "); payment " + event.payment_id + " arrived anyway",
                       true);
    }
    return Plain(Verdict::kAccept, "payment " + event.payment_id + " pays order " + std::to_string(t.order_id));
}

WebhookDecision DecideRefundEvent(const WebhookEvent& event, const std::optional<TransactionState>& transaction,
                                  const std::optional<RefundState>& refund) {
    bool succeeded = event.type == "refund.succeeded";
    bool failed = event.type == "refund.failed";
    if (!succeeded && !failed) return Plain(Verdict::kIgnore, "event type " + event.type + " is not acted on");
    if (!transaction) {
        return Anomaly("refund_for_unknown_payment",
                       "refund " + event.refund_id + " names payment " + event.payment_id + ", which is not ours", false);
    }
    const auto& t = *transaction;
    if (!t.money_taken()) {
        return Anomaly("refund_without_payment",
                       "refund " + event.refund_id + " names payment " + event.payment_id + " of checkout " +
                           t.checkout_session_id + ", which took no money (" + t.status + ")",
                       false);
    }
    if (refund && refund->refund_id == event.refund_id &&
        (refund->status == "succeeded" || refund->status == "failed")) {
        return Plain(Verdict::kDuplicate);
    }
    if (failed) return Plain(Verdict::kRefundFailed, "the provider could not refund payment " + event.payment_id);
    std::optional<std::int64_t> amount = event.amount;
    if (!amount && refund) amount = refund->amount_cents;
    if (!amount || *amount <= 0) {
        return Anomaly("refund_without_amount", "refund " + event.refund_id + " does not say how much it gave back",
                       false);
    }
    if (!event.currency.empty() && event.currency != t.currency) {
        return Anomaly("refund_currency_mismatch",
                       "refund " + event.refund_id + " is in " + event.currency + ", its payment in " + t.currency, false);
    }
    if (t.refunded_cents + *amount > t.taken_cents) {
        return Anomaly("refund_exceeds_payment",
                       "refund " + event.refund_id + " of " + Amount(*amount, t.currency) + " would bring the refunds of " +
                           event.payment_id + " to more than the " + Amount(t.taken_cents, t.currency) + " taken",
                       false);
    }
    return Plain(Verdict::kRefund, "refund " + event.refund_id + " gave back " + Amount(*amount, t.currency));
}

}  // namespace orderstream::payment
