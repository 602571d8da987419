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
    std::int64_t price_cents = 0;
    std::string currency = "USD";
    std::string local_product_id;  // our product id, sent as metadata
};

struct CartLine {
    std::string provider_product_id;
    std::uint32_t quantity = 0;
};

struct CheckoutRequest {
    std::string customer_id;  // provider customer id
    std::vector<CartLine> cart;
    std::string return_url;
    std::map<std::string, std::string> metadata;  // order_id, user_id (strings)
};

struct CheckoutSession {
    std::string session_id;
    std::string url;
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
};

}  // namespace orderstream::payment
