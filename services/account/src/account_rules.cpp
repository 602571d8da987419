#include "account_rules.hpp"

#include <algorithm>
#include <cctype>

#include "orderstream/core/text.hpp"

namespace orderstream::account {
namespace {

// Deliberately simple: one '@', a non-empty local part, a dotted domain, no spaces.
bool LooksLikeEmail(const std::string& email) {
    auto at = email.find('@');
    if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos) return false;
    auto domain = email.substr(at + 1);
    auto dot = domain.find('.');
    if (dot == std::string::npos || dot == 0 || domain.back() == '.' || domain.find("..") != std::string::npos) {
        return false;
    }
    return std::none_of(email.begin(), email.end(),
                        [](unsigned char c) { return std::isspace(c) || c < 0x20 || c == 0x7F; });
}

}  // namespace

Result<NewAccount> ValidateRegistration(const std::string& name, const std::string& email,
                                        const std::string& password) {
    NewAccount account{text::Trim(name), text::Trim(email), password};
    if (account.name.empty()) return Error::InvalidArgument("name must not be empty");
    auto name_length = text::Utf8Length(account.name);
    if (!name_length) return Error::InvalidArgument("name must be valid UTF-8");
    if (*name_length > kMaxNameChars) return Error::InvalidArgument("name must be at most 100 characters");
    if (text::HasControlCharacters(account.name)) return Error::InvalidArgument("name must not contain control characters");
    if (account.email.empty()) return Error::InvalidArgument("email must not be empty");
    if (account.email.size() > kMaxEmailBytes || !LooksLikeEmail(account.email) ||
        !text::Utf8Length(account.email)) {
        return Error::InvalidArgument("email is not a valid email address");
    }
    if (password.size() < kMinPasswordBytes) return Error::InvalidArgument("password must be at least 8 characters");
    if (password.size() > kMaxPasswordBytes) return Error::InvalidArgument("password must be at most 1024 bytes");
    return account;
}

std::string CanonicalEmail(const std::string& email) {
    return text::AsciiLower(text::Trim(email));
}

RolePolicy::RolePolicy(const std::vector<std::string>& admin_emails) {
    for (const auto& email : admin_emails) admins_.insert(CanonicalEmail(email));
}

auth::Role RolePolicy::RoleFor(const std::string& email) const {
    return admins_.count(CanonicalEmail(email)) > 0 ? auth::Role::kAdmin : auth::Role::kCustomer;
}

}  // namespace orderstream::account
