#include "account_rules.hpp"

#include <gtest/gtest.h>

namespace account = orderstream::account;

namespace {

std::string ErrorOf(const std::string& name, const std::string& email, const std::string& password) {
    auto result = account::ValidateRegistration(name, email, password);
    return result.ok() ? "ok" : result.error().message;
}

TEST(Registration, TrimsNameAndEmail) {
    auto valid = account::ValidateRegistration("  John Doe ", " John@Example.com\t", "securepassword123");
    ASSERT_TRUE(valid.ok());
    EXPECT_EQ(valid->name, "John Doe");
    EXPECT_EQ(valid->email, "John@Example.com");
    EXPECT_EQ(valid->password, "securepassword123");
}

TEST(Registration, EveryRejectionNamesItsField) {
    EXPECT_EQ(ErrorOf("", "a@b.co", "password1"), "name must not be empty");
    EXPECT_EQ(ErrorOf("   ", "a@b.co", "password1"), "name must not be empty");
    EXPECT_EQ(ErrorOf(std::string(101, 'n'), "a@b.co", "password1"), "name must be at most 100 characters");
    EXPECT_EQ(ErrorOf("Jo\nhn", "a@b.co", "password1"), "name must not contain control characters");
    EXPECT_EQ(ErrorOf("J\xff", "a@b.co", "password1"), "name must be valid UTF-8");
    EXPECT_EQ(ErrorOf("John", "", "password1"), "email must not be empty");
    for (const char* bad : {"john", "john@", "@example.com", "john@example", "jo hn@example.com", "a@b@c.com",
                            "john@.com", "john@example..com", "john@example.com."}) {
        EXPECT_EQ(ErrorOf("John", bad, "password1"), "email is not a valid email address") << bad;
    }
    EXPECT_EQ(ErrorOf("John", std::string(250, 'a') + "@b.co", "password1"), "email is not a valid email address");
    EXPECT_EQ(ErrorOf("John", "a@b.co", "short12"), "password must be at least 8 characters");
    EXPECT_EQ(ErrorOf("John", "a@b.co", std::string(1025, 'p')), "password must be at most 1024 bytes");
}

TEST(Registration, NameLimitCountsCharactersNotBytes) {
    std::string hundred_accented;
    for (int i = 0; i < 100; ++i) hundred_accented += "\xc3\xa9";  // é, two bytes each
    EXPECT_EQ(ErrorOf(hundred_accented, "a@b.co", "password1"), "ok");
    EXPECT_EQ(ErrorOf(hundred_accented + "e", "a@b.co", "password1"), "name must be at most 100 characters");
}

TEST(RolePolicy, AdminEmailsMatchCaseInsensitively) {
    account::RolePolicy roles({"Admin@Shop.io", " ops@shop.io "});
    EXPECT_EQ(roles.RoleFor("admin@shop.io"), orderstream::auth::Role::kAdmin);
    EXPECT_EQ(roles.RoleFor(" OPS@SHOP.IO"), orderstream::auth::Role::kAdmin);
    EXPECT_EQ(roles.RoleFor("john@shop.io"), orderstream::auth::Role::kCustomer);
    EXPECT_EQ(account::RolePolicy({}).RoleFor("admin@shop.io"), orderstream::auth::Role::kCustomer);
}

}  // namespace
