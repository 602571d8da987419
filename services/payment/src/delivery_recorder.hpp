#pragma once

#include <string>

#include "orderstream/pg/pool.hpp"
#include "webhook_event.hpp"

namespace orderstream::payment {

// What became of one verified webhook delivery.
enum class DeliveryOutcome {
    kApplied,    // stored; it moved money state (and told the order service, where it concerns the order)
    kDuplicate,  // this webhook-id, or what it reports, was already received: nothing changed
    kIgnored,    // stored and acknowledged, but nothing to act on
    kAnomaly,    // stored as an anomaly (and refunded where money was taken); no order changed
};

struct DeliveryResult {
    DeliveryOutcome outcome = DeliveryOutcome::kIgnored;
    std::string detail;
    bool refund_requested = false;
    std::string trace_id;  // of the checkout the delivery concerns, when known
};

// Records a verified delivery and everything it implies in one database transaction: the
// delivery (deduplicated on webhook-id), the transaction it names, what the decision rules
// (payment_decisions.hpp) make of it, anomalies, refund requests, and the payment_events the
// order service learns from. Nothing of it commits unless all of it does.
class DeliveryRecorder {
public:
    explicit DeliveryRecorder(pg::Pool& pool);

    DeliveryResult Record(const std::string& webhook_id, const WebhookEvent& event, const std::string& body);

private:
    pg::Pool& pool_;
};

}  // namespace orderstream::payment
