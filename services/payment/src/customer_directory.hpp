#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "orderstream/core/error.hpp"
#include "orderstream/pg/pool.hpp"
#include "payment_provider.hpp"

namespace orderstream::payment {

// One provider customer per account. Concurrent first checkouts of the same account
// serialise on a per-account advisory lock, so the provider sees exactly one "create
// customer" call per account.
class CustomerDirectory {
public:
    CustomerDirectory(pg::Pool& pool, PaymentProvider& provider);

    // The account's provider customer id, created at the provider on first use (which
    // needs an email and a name: INVALID_ARGUMENT otherwise).
    Result<std::string> FindOrCreate(const CustomerRequest& request);
    std::optional<std::string> Find(std::uint64_t account_id);

private:
    pg::Pool& pool_;
    PaymentProvider& provider_;
};

// Email and name as the provider needs them; INVALID_ARGUMENT names the field.
Status ValidateCustomer(const CustomerRequest& request);

}  // namespace orderstream::payment
