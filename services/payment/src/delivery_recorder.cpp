#include "delivery_recorder.hpp"

#include <spdlog/spdlog.h>

#include "ledger.hpp"
#include "orderstream/contracts/payment_events.hpp"
#include "orderstream/core/log.hpp"
#include "orderstream/core/metrics.hpp"
#include "orderstream/events/envelope.hpp"
#include "payment_decisions.hpp"

namespace orderstream::payment {
namespace {

metrics::Counter& AnomaliesCounter(const std::string& kind) {
    return metrics::Registry::Global().GetCounter("orderstream_payment_anomalies_total",
                                                  "Deliveries that could not be believed or taken, by kind",
                                                  {{"kind", kind}});
}

// The transaction a payment delivery concerns: its checkout session's, unless the payment is
// already recorded on another (a stray payment, or a repeat of one).
std::optional<TransactionState> LockTransactionFor(pqxx::work& tx, const WebhookEvent& event) {
    std::optional<TransactionState> by_session;
    if (!event.checkout_session_id.empty()) by_session = Ledger::LockBySession(tx, event.checkout_session_id);
    auto by_payment = Ledger::LockByPayment(tx, event.payment_id);
    if (by_payment && (!by_session || by_payment->id != by_session->id)) return by_payment;
    return by_session;
}

class Recording {
public:
    Recording(pqxx::work& tx, const std::string& webhook_id, const WebhookEvent& event)
        : tx_(tx), webhook_id_(webhook_id), event_(event) {}

    DeliveryResult Payment() {
        auto transaction = LockTransactionFor(tx_, event_);
        // Under the checkout's trace: this delivery's log lines and the events it writes carry
        // it, so one checkout can be followed from click to paid order in every role's log.
        std::optional<log::RequestScope> trace;
        if (transaction && !transaction->trace_id.empty()) trace.emplace(trace_id_ = transaction->trace_id);
        std::optional<std::string> paid_by;
        if (transaction && transaction->order_id != 0) {
            Ledger::LockOrder(tx_, transaction->order_id);
            paid_by = Ledger::OrderPaidBy(tx_, transaction->order_id, transaction->id);
        }
        auto decision = DecidePaymentEvent(event_, transaction, paid_by);
        switch (decision.verdict) {
            case Verdict::kAccept: {
                Ledger::RecordPayment(tx_, transaction->id, event_, true);
                contracts::PaymentSucceeded paid;
                paid.order_id = transaction->order_id;
                paid.account_id = transaction->account_id;
                paid.transaction_id = transaction->id;
                paid.payment_id = event_.payment_id;
                paid.checkout_session_id = transaction->checkout_session_id;
                paid.amount_cents = *event_.total_amount;
                paid.currency = event_.currency;
                paid.at = events::NowRfc3339();
                contracts::Publish(tx_, paid);
                return Applied(decision.detail);
            }
            case Verdict::kFailure: {
                Ledger::RecordFailure(tx_, transaction->id, event_.payment_id);
                contracts::PaymentFailed failed;
                failed.order_id = transaction->order_id;
                failed.account_id = transaction->account_id;
                failed.transaction_id = transaction->id;
                failed.payment_id = event_.payment_id;
                failed.reason = decision.detail;
                failed.at = events::NowRfc3339();
                contracts::Publish(tx_, failed);
                return Applied(decision.detail);
            }
            case Verdict::kAnomaly: return PaymentAnomaly(transaction, decision);
            case Verdict::kDuplicate: return {DeliveryOutcome::kDuplicate, "already recorded", false, {}};
            default: return {DeliveryOutcome::kIgnored, decision.detail, false, {}};
        }
    }

    DeliveryResult Refund() {
        auto transaction = Ledger::LockByPayment(tx_, event_.payment_id);
        std::optional<log::RequestScope> trace;
        if (transaction && !transaction->trace_id.empty()) trace.emplace(transaction->trace_id);
        if (transaction && transaction->order_id != 0) Ledger::LockOrder(tx_, transaction->order_id);
        auto known = transaction ? Ledger::FindRefund(tx_, event_.refund_id, event_.payment_id) : std::nullopt;
        auto decision = DecideRefundEvent(event_, transaction, known);
        switch (decision.verdict) {
            case Verdict::kRefund: {
                auto amount = event_.amount.value_or(known ? known->amount_cents : 0);
                Ledger::SettleRefund(tx_, known, event_, *transaction, amount, true);
                auto after = Ledger::AddRefund(tx_, *transaction, amount);
                if (after.order_id != 0) {
                    contracts::PaymentRefunded refunded;
                    refunded.order_id = after.order_id;
                    refunded.account_id = after.account_id;
                    refunded.transaction_id = after.id;
                    refunded.payment_id = after.payment_id;
                    refunded.refund_id = event_.refund_id;
                    refunded.amount_cents = amount;
                    refunded.refunded_total_cents = after.refunded_cents;
                    refunded.payment_amount_cents = after.taken_cents;
                    refunded.currency = after.currency;
                    refunded.fully_refunded = after.refunded_cents >= after.taken_cents;
                    refunded.at = events::NowRfc3339();
                    contracts::Publish(tx_, refunded);
                }
                return Applied(decision.detail);
            }
            case Verdict::kRefundFailed: {
                auto requested_by = Ledger::SettleRefund(tx_, known, event_, *transaction, 0, false);
                if (requested_by == "automatic") {
                    // Money we must give back is still held: someone has to act.
                    Anomaly("refund_failed",
                            "the provider could not refund payment " + event_.payment_id +
                                ", which should not have been taken",
                            transaction, "none: refund it at the provider by hand");
                    return {DeliveryOutcome::kAnomaly, decision.detail, false, {}};
                }
                return Applied(decision.detail);
            }
            case Verdict::kAnomaly:
                Anomaly(decision.anomaly, decision.detail, transaction, "none");
                return {DeliveryOutcome::kAnomaly, decision.detail, false, {}};
            case Verdict::kDuplicate: return {DeliveryOutcome::kDuplicate, "already recorded", false, {}};
            default: return {DeliveryOutcome::kIgnored, decision.detail, false, {}};
        }
    }

    const std::string& trace_id() const { return trace_id_; }

private:
    static DeliveryResult Applied(std::string detail) { return {DeliveryOutcome::kApplied, std::move(detail), false, {}}; }

    // A payment that took money it should not have: kept on the transaction it names (or one
    // of its own), never the order's payment, and refunded in full.
    DeliveryResult PaymentAnomaly(std::optional<TransactionState> transaction, const WebhookDecision& decision) {
        if (!decision.refund) {
            Anomaly(decision.anomaly, decision.detail, transaction, "none");
            return {DeliveryOutcome::kAnomaly, decision.detail, false, {}};
        }
        if (transaction && !transaction->money_taken()) {
            Ledger::RecordPayment(tx_, transaction->id, event_, false);
            transaction->status = "succeeded";
            transaction->payment_id = event_.payment_id;
            transaction->taken_cents = event_.total_amount.value_or(0);
            transaction->accepted = false;
        } else {
            transaction = Ledger::InsertStrayPayment(tx_, event_, decision.detail);
        }
        bool requested = Ledger::RequestRefund(tx_, *transaction, decision.anomaly + ": " + decision.detail, "automatic");
        Anomaly(decision.anomaly, decision.detail, transaction,
                requested ? "refund requested" : "none: nothing was taken to give back");
        return {DeliveryOutcome::kAnomaly, decision.detail, requested, {}};
    }

    void Anomaly(const std::string& kind, const std::string& detail, const std::optional<TransactionState>& transaction,
                 const std::string& action) {
        AnomalyRecord anomaly;
        anomaly.webhook_id = webhook_id_;
        anomaly.kind = kind;
        anomaly.detail = detail;
        anomaly.order_id = transaction && transaction->order_id != 0 ? std::optional(transaction->order_id)
                                                                     : event_.order_id;
        anomaly.payment_id = event_.payment_id;
        anomaly.amount_cents = event_.is_refund() ? event_.amount : event_.total_amount;
        anomaly.currency = event_.currency;
        anomaly.action = action;
        Ledger::RecordAnomaly(tx_, anomaly);
        AnomaliesCounter(kind).Increment();
        spdlog::warn("payment anomaly {} (webhook {}): {}; {}", kind, webhook_id_, detail, action);
    }

    pqxx::work& tx_;
    const std::string& webhook_id_;
    const WebhookEvent& event_;
    std::string trace_id_;
};

}  // namespace

DeliveryRecorder::DeliveryRecorder(pg::Pool& pool) : pool_(pool) {}

DeliveryResult DeliveryRecorder::Record(const std::string& webhook_id, const WebhookEvent& event,
                                        const std::string& body) {
    return pool_.Transact([&](pqxx::work& tx) {
        auto stored = tx.exec_params(
            "INSERT INTO webhook_events (webhook_id, type, body, outcome) VALUES ($1, $2, $3, 'received') "
            "ON CONFLICT (webhook_id) DO NOTHING",
            webhook_id, event.type, body);
        if (stored.affected_rows() == 0) return DeliveryResult{DeliveryOutcome::kDuplicate, "webhook-id seen before", false, {}};
        Recording recording(tx, webhook_id, event);
        DeliveryResult result;
        if (event.is_payment()) {
            result = recording.Payment();
        } else if (event.is_refund()) {
            result = recording.Refund();
        } else {
            result = {DeliveryOutcome::kIgnored, "event type " + event.type + " is not acted on", false, {}};
        }
        result.trace_id = recording.trace_id();
        static const char* kNames[] = {"applied", "duplicate", "ignored", "anomaly"};
        tx.exec_params0("UPDATE webhook_events SET outcome = $2 WHERE webhook_id = $1", webhook_id,
                        std::string(kNames[static_cast<int>(result.outcome)]) +
                            (result.detail.empty() ? "" : ": " + result.detail.substr(0, 500)));
        return result;
    });
}

}  // namespace orderstream::payment
