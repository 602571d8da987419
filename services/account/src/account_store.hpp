#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "orderstream/auth/jwt.hpp"
#include "orderstream/core/error.hpp"
#include "orderstream/pg/pool.hpp"

namespace orderstream::account {

struct AccountRecord {
    std::uint64_t id = 0;
    std::string name;
    std::string email;
    std::string password_hash;
    auth::Role role = auth::Role::kCustomer;
};

// The accounts table of account_db.
class AccountStore {
public:
    explicit AccountStore(pg::Pool& pool);

    // ALREADY_EXISTS when the email (compared case-insensitively) is taken; atomic under
    // concurrent registrations of the same email.
    Result<AccountRecord> Create(const std::string& name, const std::string& email, const std::string& password_hash,
                                 auth::Role role);
    std::optional<AccountRecord> FindByEmail(const std::string& email);
    std::optional<AccountRecord> FindById(std::uint64_t id);
    std::vector<AccountRecord> List(std::uint64_t skip, std::uint64_t take);
    void UpdateRole(std::uint64_t id, auth::Role role);

private:
    pg::Pool& pool_;
};

}  // namespace orderstream::account
