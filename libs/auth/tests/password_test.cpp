#include "orderstream/auth/password.hpp"

#include <gtest/gtest.h>

namespace auth = orderstream::auth;

namespace {

TEST(Password, HashIsArgon2idSaltedAndVerifies) {
    auth::PasswordHasher hasher;
    auto a = hasher.Hash("securepassword123");
    auto b = hasher.Hash("securepassword123");
    EXPECT_EQ(a.rfind("$argon2id$", 0), 0U) << a;
    EXPECT_NE(a, b);  // random salt
    EXPECT_TRUE(hasher.Verify(a, "securepassword123"));
    EXPECT_TRUE(hasher.Verify(b, "securepassword123"));
    EXPECT_FALSE(hasher.Verify(a, "securepassword124"));
    EXPECT_FALSE(hasher.Verify(a, ""));
}

TEST(Password, MalformedHashNeverVerifies) {
    auth::PasswordHasher hasher;
    EXPECT_FALSE(hasher.Verify("", "x"));
    EXPECT_FALSE(hasher.Verify("$argon2id$garbage", "x"));
    EXPECT_FALSE(hasher.Verify(std::string(500, 'x'), "x"));
}

TEST(Password, HandlesBinaryAndLongPasswords) {
    auth::PasswordHasher hasher;
    std::string binary("pa\0ss\xff", 6);
    auto hash = hasher.Hash(binary);
    EXPECT_TRUE(hasher.Verify(hash, binary));
    EXPECT_FALSE(hasher.Verify(hash, "pa"));
    std::string long_password(4096, 'p');
    EXPECT_TRUE(hasher.Verify(hasher.Hash(long_password), long_password));
}

}  // namespace
