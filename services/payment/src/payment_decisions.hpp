#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "webhook_event.hpp"

namespace orderstream::payment {

// A transaction (one checkout session of one order) as the decisions see it.
struct TransactionState {
    std::uint64_t id = 0;
    std::uint64_t order_id = 0;
    std::uint64_t account_id = 0;
    std::string checkout_session_id;
    std::string payment_id;  // empty until the provider names the payment
    // pending, processing, succeeded, failed, closed, partially_refunded, refunded
    std::string status;
    std::int64_t amount_cents = 0;    // what the checkout charges: the order's total
    std::int64_t taken_cents = 0;     // what the provider reported taken
    std::int64_t refunded_cents = 0;  // what the provider confirmed given back
    std::string currency;
    bool accepted = false;  // the order's one payment (told to the order service)
    std::string trace_id;   // of the checkout request: what follows from it is logged under it

    bool money_taken() const {
        return status == "succeeded" || status == "partially_refunded" || status == "refunded";
    }
};

// A refund we asked for (or learnt of), matched to a refund webhook.
struct RefundState {
    std::uint64_t id = 0;
    std::string refund_id;
    std::string status;  // requested, pending, succeeded, failed
    std::int64_t amount_cents = 0;
};

enum class Verdict {
    kAccept,   // the order's payment: record it, payment.succeeded to the order service
    kFailure,  // a failed attempt: record it, payment.failed to the order service
    kRefund,   // money given back: record it, payment.refunded to the order service
    kRefundFailed,  // the provider could not give money back: record it; an anomaly when it was owed
    kDuplicate,     // this already happened: nothing changes
    kIgnore,        // nothing to act on (stored and acknowledged)
    kAnomaly,       // cannot be believed or taken: recorded, changes no order
};

struct WebhookDecision {
    Verdict verdict = Verdict::kIgnore;
    std::string anomaly;  // kAnomaly: a short kind, e.g. "amount_mismatch"
    std::string detail;   // why, for the anomaly, the log and the stored outcome
    // kAnomaly for a payment that took money: attach it to the transaction it names (when
    // there is one) and refund it in full.
    bool refund = false;
};

// What a verified payment.* delivery means for the transaction it names (found by checkout
// session id, else payment id — never by the order in the metadata). `order_paid_by` is the
// payment id of another transaction of the same order that already counts as its payment.
WebhookDecision DecidePaymentEvent(const WebhookEvent& event, const std::optional<TransactionState>& transaction,
                                   const std::optional<std::string>& order_paid_by);

// What a verified refund.* delivery means for the payment it names. `refund` is our record of
// that refund (by refund id, or the open request for the payment), if any.
WebhookDecision DecideRefundEvent(const WebhookEvent& event, const std::optional<TransactionState>& transaction,
                                  const std::optional<RefundState>& refund);

}  // namespace orderstream::payment
