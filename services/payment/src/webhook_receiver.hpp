#pragma once

#include <functional>

#include "ledger.hpp"
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
    // `status_change_scheduled` runs after a delivery that moves an order was committed.
    WebhookReceiver(Ledger& ledger, SignatureVerifier verifier, std::function<void()> status_change_scheduled);

    http::Response Receive(const http::Request& request);

private:
    Ledger& ledger_;
    SignatureVerifier verifier_;
    std::function<void()> status_change_scheduled_;
};

}  // namespace orderstream::payment
