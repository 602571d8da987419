#pragma once

#include <string>

#include "orderstream/core/error.hpp"
#include "orderstream/core/worker_pool.hpp"
#include "orderstream/http/curl_handle_pool.hpp"
#include "webhook_signature.hpp"

namespace orderstream::payment {

// How the sandbox notifies the payment service, exactly as Dodo would: a Standard Webhooks
// signed POST of Dodo's envelope to the webhook endpoint, a few attempts with a pause.
class SandboxWebhooks {
public:
    SandboxWebhooks(SignatureVerifier signer, std::string webhook_url);
    ~SandboxWebhooks();
    SandboxWebhooks(const SandboxWebhooks&) = delete;
    SandboxWebhooks& operator=(const SandboxWebhooks&) = delete;

    // Delivers now (up to three attempts); OK once the endpoint answered 2xx.
    Status Deliver(const std::string& body);
    // Delivers from a background thread (refunds: the provider answers first, the webhook follows).
    void DeliverLater(std::string body);
    void Stop();

private:
    SignatureVerifier signer_;
    std::string webhook_url_;
    static constexpr std::size_t kConnections = 6;
    http::CurlHandlePool connections_{kConnections};
    concurrency::WorkerPool later_{{.name = "sandbox-hook", .threads = 1}};
};

// A payment event in Dodo's envelope: {business_id, type, timestamp, data: Payment}.
struct SandboxPayment {
    std::string session_id;
    std::string payment_id;
    bool paid = false;
    std::string customer_id;
    std::string email;
    std::string name;
    std::string metadata_json;
    std::int64_t amount_cents = 0;
    std::string currency;
};
std::string PaymentEventBody(const SandboxPayment& payment);

// A refund.succeeded event in Dodo's envelope: {business_id, type, timestamp, data: Refund}.
std::string RefundEventBody(const std::string& refund_id, const std::string& payment_id, std::int64_t amount_cents,
                            const std::string& currency, const std::string& metadata_json, bool partial);

}  // namespace orderstream::payment
