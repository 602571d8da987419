#pragma once

#include <chrono>
#include <string>

#include <pqxx/pqxx>

#include "orderstream/core/error.hpp"
#include "orderstream/core/polling_loop.hpp"
#include "orderstream/http/curl_handle_pool.hpp"
#include "orderstream/pg/pool.hpp"
#include "webhook_signature.hpp"

namespace orderstream::payment {

struct SandboxWebhookOptions {
    std::chrono::milliseconds poll_interval{1000};
    std::chrono::milliseconds max_backoff{60'000};
    // How long a claimed delivery is left to one attempt before another instance may try it.
    std::chrono::milliseconds lease{30'000};
};

// How the sandbox notifies the payment service, as Dodo does: a Standard Webhooks signed POST
// of Dodo's envelope to the webhook endpoint, retried until the endpoint takes it. A delivery
// is queued in the transaction that took or gave back the money (sandbox_deliveries), so a
// crash in between cannot keep a payment without telling the endpoint; every attempt carries
// the same webhook-id, and the endpoint drops repeats. Several instances may run at once.
class SandboxWebhooks {
public:
    SandboxWebhooks(pg::Pool& pool, SignatureVerifier signer, std::string webhook_url,
                    SandboxWebhookOptions options = {});
    ~SandboxWebhooks();
    SandboxWebhooks(const SandboxWebhooks&) = delete;
    SandboxWebhooks& operator=(const SandboxWebhooks&) = delete;

    // Queues `body` in the caller's transaction; returns its webhook id. The background
    // deliverer picks it up after `hold` (the time the caller has to deliver it itself).
    static std::string Queue(pqxx::work& tx, const std::string& body, std::chrono::milliseconds hold);
    // Delivers a queued webhook now (a few quick attempts); OK once the endpoint took it.
    // Otherwise it stays queued and the background deliverer keeps trying.
    Status DeliverNow(const std::string& webhook_id, const std::string& body);
    // Wakes the background deliverer (something was queued with no hold).
    void Nudge() { loop_.Nudge(); }
    // Delivers whatever is due once; returns how many deliveries the endpoint took.
    std::size_t RunOnce();
    void Start() { loop_.Start(); }
    void Stop() { loop_.Stop(); }

private:
    Status Post(const std::string& webhook_id, const std::string& body);
    void MarkDelivered(const std::string& webhook_id);

    pg::Pool& pool_;
    SignatureVerifier signer_;
    std::string webhook_url_;
    SandboxWebhookOptions options_;
    static constexpr std::size_t kConnections = 6;
    http::CurlHandlePool connections_{kConnections};
    concurrency::PollingLoop loop_;
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
