#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "payment_provider.hpp"

namespace orderstream::payment {

inline constexpr std::string_view kDodoLiveUrl = "https://live.dodopayments.com";
inline constexpr std::string_view kDodoTestUrl = "https://test.dodopayments.com";

struct DodoOptions {
    std::string api_key;
    std::string base_url = std::string(kDodoLiveUrl);  // scheme://host[:port][/prefix], no trailing '/'
    std::chrono::milliseconds connect_timeout{5'000};
    std::chrono::milliseconds total_timeout{20'000};  // per attempt
    int max_retries = 2;                               // attempts = 1 + max_retries
    std::chrono::milliseconds retry_base_delay{500};   // delay before retry n: base·2^n, capped, minus ≤25% jitter
    std::chrono::milliseconds retry_max_delay{8'000};
    std::chrono::milliseconds retry_after_cap{60'000};  // a longer Retry-After from the provider is clamped to this

    // DODO_API_KEY (required), DODO_TEST_MODE (bool, default false: live), DODO_PAYMENTS_BASE_URL
    // (overrides the mode's URL; tests point it at the fake). Throws config::ConfigError.
    static DodoOptions FromEnv();
};

// Dodo Payments over HTTPS/JSON (libcurl). Safe to call from several threads at once: each call
// borrows its own curl handle from a small pool, which keeps connections alive between calls.
// Requests that fail with 408/409/429/5xx or a transport error are retried with exponential
// backoff and jitter, honouring Retry-After-Ms / Retry-After and x-should-retry. The API key is
// never logged.
class DodoProvider final : public PaymentProvider {
public:
    // Throws std::invalid_argument when the api key is empty or the base URL is not http(s).
    explicit DodoProvider(DodoOptions options);
    ~DodoProvider() override;
    DodoProvider(const DodoProvider&) = delete;
    DodoProvider& operator=(const DodoProvider&) = delete;

    Result<std::string> CreateCustomer(const CustomerRequest& request) override;
    Result<std::string> CreatePortalSession(const std::string& customer_id, const std::string& return_url) override;
    Result<std::string> CreateProduct(const ProductSpec& product) override;
    Status UpdateProduct(const std::string& provider_product_id, const ProductSpec& product) override;
    Status ArchiveProduct(const std::string& provider_product_id) override;
    Result<CheckoutSession> CreateCheckout(const CheckoutRequest& request) override;
    Status ExpireCheckout(const std::string& session_id) override;
    Result<RefundReceipt> CreateRefund(const RefundRequest& request) override;

    const DodoOptions& options() const { return options_; }

private:
    class Transport;

    DodoOptions options_;
    std::unique_ptr<Transport> transport_;
};

}  // namespace orderstream::payment
