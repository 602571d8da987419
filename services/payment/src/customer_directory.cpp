#include "customer_directory.hpp"

#include "orderstream/core/text.hpp"

namespace orderstream::payment {
namespace {

// Keeps advisory lock keys of this table apart from any other user of advisory locks.
constexpr std::int64_t kCustomerLockSpace = 0x70617943;  // "payC"

}  // namespace

Status ValidateCustomer(const CustomerRequest& request) {
    auto email = text::Trim(request.email);
    if (email.empty()) return Error::InvalidArgument("email is required to create the payment customer");
    if (email.size() > 254 || email.find('@') == std::string::npos || email.find_first_of(" \t\r\n") != std::string::npos) {
        return Error::InvalidArgument("email must be an email address");
    }
    auto name = text::Trim(request.name);
    if (name.empty()) return Error::InvalidArgument("name is required to create the payment customer");
    auto length = text::Utf8Length(name);
    if (!length) return Error::InvalidArgument("name must be valid UTF-8");
    if (*length > 200) return Error::InvalidArgument("name must be at most 200 characters");
    return Status::Ok();
}

CustomerDirectory::CustomerDirectory(pg::Pool& pool, PaymentProvider& provider) : pool_(pool), provider_(provider) {
    pool_.Prepare("customer_find", "SELECT customer_id FROM customers WHERE account_id = $1");
    pool_.Prepare("customer_lock", "SELECT pg_advisory_xact_lock($1, $2)");
    pool_.Prepare("customer_insert",
                  "INSERT INTO customers (account_id, customer_id, billing_email, name) VALUES ($1, $2, $3, $4)");
}

std::optional<std::string> CustomerDirectory::Find(std::uint64_t account_id) {
    return pool_.Autocommit([&](pqxx::nontransaction& tx) -> std::optional<std::string> {
        auto rows = tx.exec_prepared("customer_find", static_cast<std::int64_t>(account_id));
        if (rows.empty()) return std::nullopt;
        return rows[0][0].as<std::string>();
    });
}

Result<std::string> CustomerDirectory::FindOrCreate(const CustomerRequest& request) {
    if (auto known = Find(request.account_id)) return *known;
    if (auto valid = ValidateCustomer(request); !valid.ok()) return valid.error();
    return pool_.Transact([&](pqxx::work& tx) -> Result<std::string> {
        // The lock is held across the provider call: a second request for the same account
        // waits here and then finds the customer the first one created.
        tx.exec_prepared("customer_lock", static_cast<std::int32_t>(kCustomerLockSpace),
                         static_cast<std::int32_t>(request.account_id & 0x7fffffff));
        auto rows = tx.exec_prepared("customer_find", static_cast<std::int64_t>(request.account_id));
        if (!rows.empty()) return rows[0][0].as<std::string>();
        CustomerRequest clean = request;
        clean.email = text::Trim(request.email);
        clean.name = text::Trim(request.name);
        auto created = provider_.CreateCustomer(clean);
        if (!created.ok()) return created.error();
        tx.exec_prepared0("customer_insert", static_cast<std::int64_t>(request.account_id), *created, clean.email,
                          clean.name);
        return *created;
    });
}

}  // namespace orderstream::payment
