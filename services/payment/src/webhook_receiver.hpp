#pragma once

#include <functional>

#include "delivery_recorder.hpp"
#include "orderstream/http/server.hpp"
#include "webhook_signature.hpp"

namespace orderstream::payment {

// POST /webhooks/dodo: a delivery is verified over its exact raw body, stored with
// everything it implies in one transaction (deduplicated on webhook-id), and only then
// acknowledged with 2xx. 401 when the signature does not verify, 400 when a verified body
// cannot be read, 503 when it could not be stored (the provider retries): in all three
// cases nothing is stored.
class WebhookReceiver {
public:
    // `refund_requested` runs after a delivery that queued a refund was committed.
    WebhookReceiver(DeliveryRecorder& recorder, SignatureVerifier verifier, std::function<void()> refund_requested);

    http::Response Receive(const http::Request& request);

private:
    DeliveryRecorder& recorder_;
    SignatureVerifier verifier_;
    std::function<void()> refund_requested_;
};

}  // namespace orderstream::payment
