#pragma once

#include <mutex>
#include <map>
#include <string>

#include "orderstream/core/error.hpp"
#include "orderstream/pg/pool.hpp"
#include "payment_provider.hpp"

namespace orderstream::payment {

// The provider's pay-what-you-want product through which every checkout charges an order's
// own total: one per currency, created at the provider on first use (once, also when several
// instances ask at the same moment) and remembered in payment_db.
class OrderProducts {
public:
    OrderProducts(pg::Pool& pool, PaymentProvider& provider);

    Result<std::string> ProductFor(const std::string& currency);

private:
    pg::Pool& pool_;
    PaymentProvider& provider_;
    std::mutex mutex_;
    std::map<std::string, std::string> known_;
};

}  // namespace orderstream::payment
