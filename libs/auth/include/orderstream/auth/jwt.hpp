#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "orderstream/core/error.hpp"

namespace orderstream::auth {

enum class Role { kCustomer, kAdmin };
std::string ToString(Role role);
Result<Role> ParseRole(const std::string& text);

// What a verified token says about its bearer.
struct Claims {
    std::uint64_t account_id = 0;
    Role role = Role::kCustomer;
    std::int64_t issued_at = 0;   // seconds since the epoch
    std::int64_t expires_at = 0;  // seconds since the epoch
};

// Issues and verifies HS256 JSON Web Tokens with iss, sub (the account id), role, iat and
// exp. Verification pins the algorithm: "none", HS384/512 and every asymmetric algorithm
// are rejected even when the signature would check out under them.
class JwtCodec {
public:
    static constexpr const char* kIssuer = "orderstream";
    static constexpr std::size_t kMinSecretBytes = 32;

    // Throws std::invalid_argument when the secret is shorter than kMinSecretBytes.
    JwtCodec(std::string secret, std::chrono::seconds lifetime);

    std::string Issue(std::uint64_t account_id, Role role) const;
    std::string IssueAt(std::uint64_t account_id, Role role, std::int64_t now_seconds) const;
    // UNAUTHENTICATED error with a reason a client may see ("token expired", ...).
    Result<Claims> Verify(const std::string& token) const;
    Result<Claims> VerifyAt(const std::string& token, std::int64_t now_seconds) const;

    std::chrono::seconds lifetime() const { return lifetime_; }

private:
    std::string secret_;
    std::chrono::seconds lifetime_;
};

// JWT_SECRET from the environment; when unset, a random secret persisted in
// <data_dir>/jwt_secret (created on first use, mode 0600), with a warning, so that local
// development works and tokens survive restarts. ORDERSTREAM_ENV=production forbids the
// fallback. Throws config::ConfigError naming JWT_SECRET when the value is unusable.
std::string LoadJwtSecret(const std::string& data_dir);

// JWT_TTL_SECONDS (default 24 h).
std::chrono::seconds LoadJwtLifetime();

}  // namespace orderstream::auth
