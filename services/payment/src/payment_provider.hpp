#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "orderstream/core/error.hpp"

namespace orderstream::payment {

// What the payment service asks of a payment provider. Two implementations: Dodo Payments
// over HTTPS (DodoProvider) and the built-in sandbox (SandboxProvider). Every call is
// synchronous and bounded by the implementation's own timeouts; failures come back as
// Error{kUnavailable} (provider unreachable or 5xx after retries) or
// Error{kInvalidArgument} (the provider rejected the request), with the provider's message.

struct CustomerRequest {
    std::uint64_t account_id = 0;
    std::string email;
    std::string name;
};

struct ProductSpec {
    std::string name;
    std::string description;
    std::int64_t price_cents = 0;  // the price; the minimum a checkout may charge when pay_what_you_want
    std::string currency = "USD";
    std::string local_product_id;  // our product id, sent as metadata
    // A checkout names the amount to charge for it (the provider's "pay what you want").
    bool pay_what_you_want = false;
};

// One line of the order as the buyer sees it on a checkout page that can list them.
struct CheckoutLine {
    std::string name;
    std::uint32_t quantity = 0;
    std::int64_t unit_price_cents = 0;
};

// Charges exactly `amount_cents` in `currency`, once: one cart line of quantity 1 of the
// provider's pay-what-you-want product for the currency with that amount. The amount is the
// order's own total from its line snapshot; the catalog and the provider's copy of it play no
// part, so a price change after the order was placed cannot change what is charged.
struct CheckoutRequest {
    std::string customer_id;       // provider customer id
    std::string order_product_id;  // the provider's pay-what-you-want product for `currency`
    std::int64_t amount_cents = 0;
    std::string currency;
    std::vector<CheckoutLine> lines;  // for display only; they add up to amount_cents
    std::string return_url;
    std::map<std::string, std::string> metadata;  // order_id, user_id (strings)
};

struct CheckoutSession {
    std::string session_id;
    std::string url;
};

struct RefundRequest {
    std::string payment_id;
    std::int64_t amount_cents = 0;  // 0: all that is left of the payment
    std::string reason;
};

struct RefundReceipt {
    std::string refund_id;
    std::string status;  // the provider's: succeeded, pending, review or failed (a webhook confirms)
};

class PaymentProvider {
public:
    virtual ~PaymentProvider() = default;

    // Returns the provider's customer id.
    virtual Result<std::string> CreateCustomer(const CustomerRequest& request) = 0;
    // Returns the URL of a customer portal session.
    virtual Result<std::string> CreatePortalSession(const std::string& customer_id,
                                                    const std::string& return_url) = 0;
    // Returns the provider's product id.
    virtual Result<std::string> CreateProduct(const ProductSpec& product) = 0;
    virtual Status UpdateProduct(const std::string& provider_product_id, const ProductSpec& product) = 0;
    virtual Status ArchiveProduct(const std::string& provider_product_id) = 0;
    virtual Result<CheckoutSession> CreateCheckout(const CheckoutRequest& request) = 0;
    // Makes a session unpayable where the provider can; Dodo cannot (there is no such
    // endpoint), so a payment that still arrives is caught on the webhook and refunded.
    virtual Status ExpireCheckout(const std::string& session_id) = 0;
    // Asks for a refund; its outcome arrives as a refund.succeeded / refund.failed webhook.
    virtual Result<RefundReceipt> CreateRefund(const RefundRequest& request) = 0;
};

}  // namespace orderstream::payment
