#include "order_events_handler.hpp"

#include <spdlog/spdlog.h>

#include "ledger.hpp"
#include "orderstream/contracts/order_events.hpp"

namespace orderstream::payment {

OrderEventsHandler::OrderEventsHandler(PaymentProvider& provider, std::function<void()> refund_requested)
    : provider_(provider), refund_requested_(std::move(refund_requested)) {}

Status OrderEventsHandler::Apply(pqxx::work& tx, const events::Envelope& event) {
    if (auto changed = contracts::Read<contracts::OrderStatusChanged>(event); !changed.ok()) {
        return changed.error();
    } else if (changed->has_value()) {
        const auto& change = **changed;
        if (change.to != "paid" && change.to != "cancelled" && change.to != "refunded") return Status::Ok();
        Ledger::LockOrder(tx, change.order_id);
        for (const auto& session : Ledger::CloseOpenCheckouts(tx, change.order_id, "the order was " + change.to)) {
            if (session.empty()) continue;
            if (auto expired = provider_.ExpireCheckout(session); !expired.ok()) {
                // The webhook refunds a payment that still gets through; nothing to retry.
                spdlog::warn("checkout {} of order {} not expired at the provider: {}", session, change.order_id,
                             expired.error().message);
            }
            spdlog::info("checkout {} of order {} closed: the order was {}", session, change.order_id, change.to);
        }
        return Status::Ok();
    }
    auto refused = contracts::Read<contracts::OrderPaymentRefused>(event);
    if (!refused.ok()) return refused.error();
    if (!refused->has_value()) return Status::Ok();
    const auto& refusal = **refused;
    Ledger::LockOrder(tx, refusal.order_id);
    auto transaction = Ledger::LockByPayment(tx, refusal.payment_id);
    AnomalyRecord anomaly;
    anomaly.kind = "refused_by_order";
    anomaly.detail = "order " + std::to_string(refusal.order_id) + " refused payment " + refusal.payment_id + ": " +
                     refusal.reason;
    anomaly.order_id = refusal.order_id;
    anomaly.payment_id = refusal.payment_id;
    if (!transaction || !transaction->money_taken()) {
        anomaly.action = "none: no payment of ours took money";
        Ledger::RecordAnomaly(tx, anomaly);
        return Status::Ok();
    }
    anomaly.amount_cents = transaction->taken_cents;
    anomaly.currency = transaction->currency;
    Ledger::Unaccept(tx, transaction->id);
    bool requested = Ledger::RequestRefund(tx, *transaction, anomaly.detail, "automatic");
    anomaly.action = requested ? "refund requested" : "none: a refund is already under way or nothing is left";
    Ledger::RecordAnomaly(tx, anomaly);
    spdlog::warn("payment anomaly refused_by_order: {}; {}", anomaly.detail, anomaly.action);
    if (requested && refund_requested_) refund_requested_();
    return Status::Ok();
}

}  // namespace orderstream::payment
