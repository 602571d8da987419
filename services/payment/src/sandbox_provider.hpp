#pragma once

#include <string>

#include "orderstream/pg/pool.hpp"
#include "payment_provider.hpp"
#include "sandbox_webhooks.hpp"

namespace orderstream::payment {

// The built-in provider used when no DODO_API_KEY is set. It keeps its customers, products
// and sessions in payment_db (so every instance of the role sees them) and hands out URLs
// of pages served by this role's HTTP port (SandboxPages), where a buyer presses "Pay" or
// "Decline" and the sandbox delivers a signed webhook exactly as Dodo Payments would.
class SandboxProvider final : public PaymentProvider {
public:
    // `public_url`: how a browser reaches this role's HTTP port, e.g. http://127.0.0.1:8081.
    // Refunds are confirmed through `webhooks` (as Dodo confirms them by webhook).
    SandboxProvider(pg::Pool& pool, std::string public_url, SandboxWebhooks& webhooks);

    Result<std::string> CreateCustomer(const CustomerRequest& request) override;
    Result<std::string> CreatePortalSession(const std::string& customer_id, const std::string& return_url) override;
    Result<std::string> CreateProduct(const ProductSpec& product) override;
    Status UpdateProduct(const std::string& provider_product_id, const ProductSpec& product) override;
    Status ArchiveProduct(const std::string& provider_product_id) override;
    Result<CheckoutSession> CreateCheckout(const CheckoutRequest& request) override;
    Status ExpireCheckout(const std::string& session_id) override;
    Result<RefundReceipt> CreateRefund(const RefundRequest& request) override;

private:
    pg::Pool& pool_;
    std::string public_url_;
    SandboxWebhooks& webhooks_;
};

// A random identifier with the provider's prefix style ("cus_", "pdt_", "cks_", ...).
std::string SandboxId(const char* prefix);

// The webhook secret the sandbox signs with when DODO_WEBHOOK_SECRET is unset: generated
// once and kept in payment_db, so every instance of the role agrees on it.
std::string SandboxWebhookSecret(pg::Pool& pool);

}  // namespace orderstream::payment
