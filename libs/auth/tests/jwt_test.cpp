#include "orderstream/auth/jwt.hpp"

#include <jwt.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "orderstream/core/config.hpp"

namespace auth = orderstream::auth;

namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef-test";
constexpr std::int64_t kNow = 1'800'000'000;

// Builds a token with arbitrary algorithm and claims, the way an attacker could.
std::string Forge(jwt_alg_t alg, const std::string& key, const std::string& iss, const std::string& sub,
                  std::int64_t iat, std::int64_t exp) {
    jwt_t* jwt = nullptr;
    jwt_new(&jwt);
    jwt_add_grant(jwt, "iss", iss.c_str());
    jwt_add_grant(jwt, "sub", sub.c_str());
    jwt_add_grant(jwt, "role", "admin");
    jwt_add_grant_int(jwt, "iat", iat);
    jwt_add_grant_int(jwt, "exp", exp);
    jwt_set_alg(jwt, alg, key.empty() ? nullptr : reinterpret_cast<const unsigned char*>(key.data()),
                static_cast<int>(key.size()));
    char* encoded = jwt_encode_str(jwt);
    std::string token = encoded == nullptr ? "" : encoded;
    std::free(encoded);
    jwt_free(jwt);
    return token;
}

std::string Base64Url(const std::string& in) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                     static_cast<unsigned char>(in[i + 2]);
        for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
    }
    if (i < in.size()) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        if (i + 1 < in.size()) out += kAlphabet[(v >> 6) & 63];
    }
    return out;
}

TEST(Jwt, IssueThenVerifyRoundTrips) {
    auth::JwtCodec codec(kSecret, std::chrono::hours(1));
    auto token = codec.IssueAt(42, auth::Role::kAdmin, kNow);
    auto claims = codec.VerifyAt(token, kNow + 10);
    ASSERT_TRUE(claims.ok()) << claims.error().message;
    EXPECT_EQ(claims->account_id, 42U);
    EXPECT_EQ(claims->role, auth::Role::kAdmin);
    EXPECT_EQ(claims->issued_at, kNow);
    EXPECT_EQ(claims->expires_at, kNow + 3600);
}

TEST(Jwt, ExpiredTokenIsRejected) {
    auth::JwtCodec codec(kSecret, std::chrono::hours(1));
    auto token = codec.IssueAt(1, auth::Role::kCustomer, kNow);
    EXPECT_TRUE(codec.VerifyAt(token, kNow + 3599).ok());
    auto result = codec.VerifyAt(token, kNow + 3600);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, orderstream::ErrorCode::kUnauthenticated);
    EXPECT_EQ(result.error().message, "token expired");
}

TEST(Jwt, WrongSecretIsRejected) {
    auth::JwtCodec codec(kSecret, std::chrono::hours(1));
    auth::JwtCodec other(kSecret + "-other", std::chrono::hours(1));
    auto result = codec.VerifyAt(other.IssueAt(1, auth::Role::kCustomer, kNow), kNow);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, orderstream::ErrorCode::kUnauthenticated);
}

TEST(Jwt, TamperedPayloadIsRejected) {
    auth::JwtCodec codec(kSecret, std::chrono::hours(1));
    auto token = codec.IssueAt(1, auth::Role::kCustomer, kNow);
    auto first_dot = token.find('.');
    auto second_dot = token.find('.', first_dot + 1);
    std::string payload = R"({"exp":)" + std::to_string(kNow + 3600) + R"(,"iat":)" + std::to_string(kNow) +
                          R"(,"iss":"orderstream","role":"admin","sub":"1"})";
    auto forged = token.substr(0, first_dot + 1) + Base64Url(payload) + token.substr(second_dot);
    EXPECT_FALSE(codec.VerifyAt(forged, kNow).ok());
}

TEST(Jwt, OtherAlgorithmsAreRejectedEvenWithTheRightKey) {
    auth::JwtCodec codec(kSecret, std::chrono::hours(1));
    auto hs512 = Forge(JWT_ALG_HS512, kSecret, "orderstream", "1", kNow, kNow + 3600);
    ASSERT_FALSE(hs512.empty());
    auto result = codec.VerifyAt(hs512, kNow);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, orderstream::ErrorCode::kUnauthenticated);

    auto none = Forge(JWT_ALG_NONE, "", "orderstream", "1", kNow, kNow + 3600);
    ASSERT_FALSE(none.empty());
    EXPECT_FALSE(codec.VerifyAt(none, kNow).ok());

    // A hand-made unsigned token in both spellings of the empty signature.
    std::string header = Base64Url(R"({"alg":"none","typ":"JWT"})");
    std::string payload = Base64Url(R"({"iss":"orderstream","sub":"1","role":"admin","iat":)" + std::to_string(kNow) +
                                    R"(,"exp":)" + std::to_string(kNow + 3600) + "}");
    EXPECT_FALSE(codec.VerifyAt(header + "." + payload + ".", kNow).ok());
    EXPECT_FALSE(codec.VerifyAt(header + "." + payload, kNow).ok());
}

TEST(Jwt, WrongIssuerAndBadSubjectAreRejected) {
    auth::JwtCodec codec(kSecret, std::chrono::hours(1));
    auto wrong_issuer = codec.VerifyAt(Forge(JWT_ALG_HS256, kSecret, "someone-else", "1", kNow, kNow + 60), kNow);
    ASSERT_FALSE(wrong_issuer.ok());
    EXPECT_EQ(wrong_issuer.error().message, "invalid token: wrong issuer");
    EXPECT_FALSE(codec.VerifyAt(Forge(JWT_ALG_HS256, kSecret, "orderstream", "abc", kNow, kNow + 60), kNow).ok());
    EXPECT_FALSE(codec.VerifyAt(Forge(JWT_ALG_HS256, kSecret, "orderstream", "0", kNow, kNow + 60), kNow).ok());
    EXPECT_FALSE(
        codec.VerifyAt(Forge(JWT_ALG_HS256, kSecret, "orderstream", "1", kNow + 3600, kNow + 7200), kNow).ok());
}

TEST(Jwt, GarbageIsRejectedNotCrashed) {
    auth::JwtCodec codec(kSecret, std::chrono::hours(1));
    for (const std::string& junk : std::vector<std::string>{"", ".", "..", "a.b.c", "eyJ.eyJ.x", std::string(5000, 'a'),
                                                          std::string("\0\x01\xff", 3)}) {
        EXPECT_FALSE(codec.VerifyAt(junk, kNow).ok()) << junk;
    }
}

TEST(Jwt, ShortSecretIsRefused) {
    EXPECT_THROW(auth::JwtCodec("short", std::chrono::hours(1)), std::invalid_argument);
}

TEST(JwtSecret, GeneratedOncePersistedAndReused) {
    unsetenv("JWT_SECRET");
    unsetenv("ORDERSTREAM_ENV");
    auto dir = std::filesystem::temp_directory_path() / ("jwt-secret-test-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    auto first = auth::LoadJwtSecret(dir.string());
    EXPECT_EQ(first.size(), 64U);
    EXPECT_EQ(auth::LoadJwtSecret(dir.string()), first);
    auto perms = std::filesystem::status(dir / "jwt_secret").permissions();
    EXPECT_EQ(perms & std::filesystem::perms::others_read, std::filesystem::perms::none);
    std::filesystem::remove_all(dir);
}

// `orderstream up` starts the account and gateway roles together on a fresh data folder: every
// process must end up with the one secret that was published, and none may fail.
TEST(JwtSecret, ProcessesStartingTogetherAgreeOnOneSecret) {
    unsetenv("JWT_SECRET");
    unsetenv("ORDERSTREAM_ENV");
    for (int round = 0; round < 30; ++round) {
        auto dir = std::filesystem::temp_directory_path() /
                   ("jwt-secret-race-" + std::to_string(getpid()) + "-" + std::to_string(round));
        std::filesystem::remove_all(dir);
        std::vector<std::pair<pid_t, int>> children;
        int start[2];  // closed by the parent once every child waits on it: they all go at once
        ASSERT_EQ(pipe(start), 0);
        for (int i = 0; i < 8; ++i) {
            int fds[2];
            ASSERT_EQ(pipe(fds), 0);
            pid_t pid = fork();
            if (pid == 0) {
                close(fds[0]);
                close(start[1]);
                char go;
                (void)!read(start[0], &go, 1);
                std::string secret;
                try {
                    secret = auth::LoadJwtSecret(dir.string());
                } catch (...) {
                    secret = "failed";
                }
                auto written = write(fds[1], secret.data(), secret.size());
                _exit(written == static_cast<ssize_t>(secret.size()) ? 0 : 1);
            }
            close(fds[1]);
            children.emplace_back(pid, fds[0]);
        }
        close(start[0]);
        close(start[1]);
        std::string published;
        for (auto [pid, fd] : children) {
            std::string secret;
            char buffer[128];
            for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) {
                secret.append(buffer, static_cast<std::size_t>(n));
            }
            close(fd);
            waitpid(pid, nullptr, 0);
            if (published.empty()) std::getline(std::ifstream(dir / "jwt_secret"), published);
            EXPECT_EQ(secret, published) << "round " << round;
        }
        EXPECT_EQ(published.size(), 64U);
        std::filesystem::remove_all(dir);
    }
}

TEST(JwtSecret, EnvironmentWinsAndIsValidated) {
    setenv("JWT_SECRET", "too-short", 1);
    EXPECT_THROW(auth::LoadJwtSecret("/nonexistent"), orderstream::config::ConfigError);
    setenv("JWT_SECRET", kSecret.c_str(), 1);
    EXPECT_EQ(auth::LoadJwtSecret("/nonexistent"), kSecret);
    unsetenv("JWT_SECRET");
    setenv("ORDERSTREAM_ENV", "production", 1);
    EXPECT_THROW(auth::LoadJwtSecret("/nonexistent"), orderstream::config::ConfigError);
    unsetenv("ORDERSTREAM_ENV");
}

}  // namespace
