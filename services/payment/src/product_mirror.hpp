#pragma once

#include <chrono>
#include <string>

#include <pqxx/pqxx>

#include "orderstream/core/error.hpp"
#include "orderstream/core/polling_loop.hpp"
#include "orderstream/events/envelope.hpp"
#include "orderstream/pg/pool.hpp"
#include "payment_provider.hpp"

namespace orderstream::payment {

struct ProductMirrorOptions {
    std::chrono::milliseconds poll_interval{500};
    std::chrono::milliseconds max_backoff{300'000};
};

// The provider's copy of the catalog. product_events only record the desired state in
// provider_products (inside the consumer's transaction, so an event is applied once);
// a worker then creates, updates or archives the product at the provider, retrying each
// product with its own backoff so one failing product never holds up the others.
class ProductMirror {
public:
    ProductMirror(pg::Pool& pool, PaymentProvider& provider, ProductMirrorOptions options = {});
    ~ProductMirror();
    ProductMirror(const ProductMirror&) = delete;
    ProductMirror& operator=(const ProductMirror&) = delete;

    // Handler for product_events: INVALID_ARGUMENT for a malformed event (dead-lettered).
    Status Apply(pqxx::work& tx, const events::Envelope& event);

    // The provider's id for a product, syncing it now when the worker has not yet; a
    // product never seen on product_events is registered from `known` (the order's copy).
    Result<std::string> ProviderIdFor(const std::string& product_id, const ProductSpec& known);

    void Start() { loop_.Start(); }
    void Stop() { loop_.Stop(); }
    // Syncs what is due once; returns the number of products synced successfully.
    std::size_t RunOnce();

private:
    struct Row;
    Result<std::string> SyncLocked(pqxx::work& tx, const Row& row);

    pg::Pool& pool_;
    PaymentProvider& provider_;
    ProductMirrorOptions options_;
    concurrency::PollingLoop loop_;
};

// What the provider is sent for a product: name and description cut to the provider's
// limits (100 and 1,000 characters).
ProductSpec ProviderSpec(std::string product_id, std::string name, std::string description, std::int64_t price_cents,
                         std::string currency);

}  // namespace orderstream::payment
