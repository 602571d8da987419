#include "orderstream/auth/jwt.hpp"

#include <jwt.h>
#include <sodium.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "orderstream/core/config.hpp"

namespace orderstream::auth {
namespace {

struct JwtDeleter {
    void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

std::int64_t NowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Error Rejected(const std::string& why) { return Error::Unauthenticated("invalid token: " + why); }

// Leeway for clocks of different machines: a token "issued" slightly in the future is fine.
constexpr std::int64_t kClockSkewSeconds = 60;

}  // namespace

std::string ToString(Role role) { return role == Role::kAdmin ? "admin" : "customer"; }

Result<Role> ParseRole(const std::string& text) {
    if (text == "admin") return Role::kAdmin;
    if (text == "customer") return Role::kCustomer;
    return Error::InvalidArgument("unknown role '" + text + "'");
}

JwtCodec::JwtCodec(std::string secret, std::chrono::seconds lifetime)
    : secret_(std::move(secret)), lifetime_(lifetime) {
    if (secret_.size() < kMinSecretBytes) throw std::invalid_argument("JWT secret must be at least 32 bytes");
}

std::string JwtCodec::Issue(std::uint64_t account_id, Role role) const {
    return IssueAt(account_id, role, NowSeconds());
}

std::string JwtCodec::IssueAt(std::uint64_t account_id, Role role, std::int64_t now_seconds) const {
    jwt_t* raw = nullptr;
    if (jwt_new(&raw) != 0) throw std::bad_alloc();
    JwtPtr jwt(raw);
    auto subject = std::to_string(account_id);
    auto role_text = ToString(role);
    bool ok = jwt_add_grant(jwt.get(), "iss", kIssuer) == 0 && jwt_add_grant(jwt.get(), "sub", subject.c_str()) == 0 &&
              jwt_add_grant(jwt.get(), "role", role_text.c_str()) == 0 &&
              jwt_add_grant_int(jwt.get(), "iat", now_seconds) == 0 &&
              jwt_add_grant_int(jwt.get(), "exp", now_seconds + lifetime_.count()) == 0 &&
              jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(secret_.data()),
                          static_cast<int>(secret_.size())) == 0;
    if (!ok) throw std::runtime_error("building a JWT failed");
    char* encoded = jwt_encode_str(jwt.get());
    if (encoded == nullptr) throw std::runtime_error("encoding a JWT failed");
    std::string token(encoded);
    std::free(encoded);
    return token;
}

Result<Claims> JwtCodec::Verify(const std::string& token) const { return VerifyAt(token, NowSeconds()); }

Result<Claims> JwtCodec::VerifyAt(const std::string& token, std::int64_t now_seconds) const {
    if (token.empty()) return Rejected("empty");
    if (token.size() > 4096) return Rejected("too long");
    jwt_t* raw = nullptr;
    if (jwt_decode(&raw, token.c_str(), reinterpret_cast<const unsigned char*>(secret_.data()),
                   static_cast<int>(secret_.size())) != 0) {
        if (raw != nullptr) jwt_free(raw);
        return Rejected("malformed or bad signature");
    }
    JwtPtr jwt(raw);
    if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256) return Rejected("algorithm must be HS256");

    const char* issuer = jwt_get_grant(jwt.get(), "iss");
    if (issuer == nullptr || std::string(issuer) != kIssuer) return Rejected("wrong issuer");

    Claims claims;
    const char* subject = jwt_get_grant(jwt.get(), "sub");
    if (subject == nullptr) return Rejected("no subject");
    std::string sub(subject);
    auto [ptr, ec] = std::from_chars(sub.data(), sub.data() + sub.size(), claims.account_id);
    if (ec != std::errc() || ptr != sub.data() + sub.size() || claims.account_id == 0) return Rejected("bad subject");

    const char* role = jwt_get_grant(jwt.get(), "role");
    auto parsed_role = ParseRole(role == nullptr ? "" : role);
    if (!parsed_role.ok()) return Rejected("bad role");
    claims.role = *parsed_role;

    errno = 0;
    claims.expires_at = jwt_get_grant_int(jwt.get(), "exp");
    if (errno != 0) return Rejected("no expiry");
    errno = 0;
    claims.issued_at = jwt_get_grant_int(jwt.get(), "iat");
    if (errno != 0) return Rejected("no issue time");
    if (now_seconds >= claims.expires_at) return Error::Unauthenticated("token expired");
    if (claims.issued_at > now_seconds + kClockSkewSeconds) return Rejected("issued in the future");
    return claims;
}

std::string LoadJwtSecret(const std::string& data_dir) {
    if (auto secret = config::Env::Get("JWT_SECRET"); secret && !secret->empty()) {
        if (secret->size() < JwtCodec::kMinSecretBytes) {
            throw config::ConfigError("JWT_SECRET: must be at least 32 bytes");
        }
        return *secret;
    }
    if (config::Env::String("ORDERSTREAM_ENV", "development") == "production") {
        throw config::ConfigError("JWT_SECRET: is required when ORDERSTREAM_ENV=production");
    }
    std::filesystem::path path = std::filesystem::path(data_dir) / "jwt_secret";
    std::ifstream existing(path);
    std::string secret;
    if (existing && std::getline(existing, secret) && secret.size() >= JwtCodec::kMinSecretBytes) return secret;

    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    unsigned char random[32];
    randombytes_buf(random, sizeof random);
    char hex[sizeof random * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, random, sizeof random);
    secret = hex;
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    // Roles started together (`orderstream up` on a fresh data folder) race here: each writes
    // its own temporary file and link() publishes only the first, which every role then uses.
    auto tmp = path;
    tmp += ".tmp." + std::to_string(::getpid());
    {
        // Created 0600 from the start: the secret is never readable by others, not even briefly.
        ::unlink(tmp.c_str());
        int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        auto line = secret + '\n';
        bool written = fd >= 0 && ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
        if (fd >= 0 && ::close(fd) != 0) written = false;
        if (!written) {
            throw config::ConfigError("JWT_SECRET: unset, and writing a development secret to " + path.string() +
                                      " failed: " + std::strerror(errno));
        }
    }
    if (::link(tmp.c_str(), path.c_str()) != 0) {
        bool exists = errno == EEXIST;
        std::string winner;
        std::ifstream published(path);
        if (exists && published && std::getline(published, winner) &&
            winner.size() >= JwtCodec::kMinSecretBytes) {
            std::filesystem::remove(tmp, ec);
            return winner;
        }
        std::filesystem::rename(tmp, path);  // replaces an unusable file
    } else {
        std::filesystem::remove(tmp, ec);
    }
    spdlog::warn("JWT_SECRET is not set: using a generated development secret stored in {}", path.string());
    return secret;
}

std::chrono::seconds LoadJwtLifetime() {
    return std::chrono::seconds(config::Env::Int("JWT_TTL_SECONDS", 24 * 3600, 60, 30LL * 24 * 3600));
}

}  // namespace orderstream::auth
