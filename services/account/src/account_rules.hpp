#pragma once

#include <set>
#include <string>
#include <vector>

#include "orderstream/auth/jwt.hpp"
#include "orderstream/core/error.hpp"

namespace orderstream::account {

inline constexpr std::size_t kMaxNameChars = 100;
inline constexpr std::size_t kMaxEmailBytes = 254;
inline constexpr std::size_t kMinPasswordBytes = 8;
inline constexpr std::size_t kMaxPasswordBytes = 1024;

// A registration that passed validation: name and email trimmed.
struct NewAccount {
    std::string name;
    std::string email;
    std::string password;
};

// Validates a Register request; the error names the offending field.
Result<NewAccount> ValidateRegistration(const std::string& name, const std::string& email,
                                        const std::string& password);

// Trimmed and lower-cased: the form emails are compared in.
std::string CanonicalEmail(const std::string& email);

// Admins are the accounts whose email is listed in ADMIN_EMAILS.
class RolePolicy {
public:
    explicit RolePolicy(const std::vector<std::string>& admin_emails);
    auth::Role RoleFor(const std::string& email) const;

private:
    std::set<std::string> admins_;  // canonical emails
};

}  // namespace orderstream::account
