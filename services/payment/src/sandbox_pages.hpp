#pragma once

#include <optional>
#include <string>

#include "ledger.hpp"
#include "orderstream/core/worker_pool.hpp"
#include "orderstream/http/server.hpp"
#include "orderstream/pg/pool.hpp"
#include "sandbox_webhooks.hpp"

namespace orderstream::payment {

// The sandbox's browser pages on the payment HTTP port:
//   GET  /sandbox/checkout/{session}          the order's lines and total, "Pay" and "Decline"
//   POST /sandbox/checkout/{session}/pay      delivers payment.succeeded, then redirects to the return URL
//   POST /sandbox/checkout/{session}/decline  delivers payment.failed, then redirects
//   GET  /sandbox/portal/{session}            the customer's transactions
// Deliveries are signed Standard Webhooks in Dodo's envelope (SandboxWebhooks), posted to the
// same endpoint Dodo would call; the buyer is redirected only after it answered 2xx.
class SandboxPages {
public:
    SandboxPages(pg::Pool& pool, Ledger& ledger, SandboxWebhooks& webhooks);
    ~SandboxPages();
    SandboxPages(const SandboxPages&) = delete;
    SandboxPages& operator=(const SandboxPages&) = delete;

    // True when the request was for a sandbox page (and `respond` was or will be called).
    bool Handle(const http::Request& request, const http::Respond& respond);

    void Stop();

private:
    http::Response CheckoutPage(const std::string& session_id);
    http::Response PortalPage(const std::string& session_id);
    http::Response Complete(const std::string& session_id, bool pay);

    pg::Pool& pool_;
    Ledger& ledger_;
    SandboxWebhooks& webhooks_;
    // Pay/Decline wait on a webhook delivered to this same process: they run on workers of
    // their own so the HTTP threads stay free to receive it. Completing a session is one
    // conditional UPDATE, so workers may complete different sessions at once.
    static constexpr std::size_t kWorkers = 4;
    concurrency::WorkerPool completions_{{.name = "sandbox", .threads = kWorkers}};
};

}  // namespace orderstream::payment
