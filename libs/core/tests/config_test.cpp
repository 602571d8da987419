#include "orderstream/core/config.hpp"

#include <cstdlib>

#include <gtest/gtest.h>

using orderstream::config::ConfigError;
using orderstream::config::Env;

namespace {

class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : name_(name) { setenv(name, value, 1); }
    ~ScopedEnv() { unsetenv(name_); }

private:
    const char* name_;
};

std::string ErrorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "no error";
}

TEST(Env, RequiredMissingNamesTheVariable) {
    unsetenv("OS_TEST_REQUIRED");
    EXPECT_EQ(ErrorOf([] { Env::Required("OS_TEST_REQUIRED"); }), "OS_TEST_REQUIRED: is required but not set");
    ScopedEnv blank("OS_TEST_REQUIRED", "  ");
    EXPECT_EQ(ErrorOf([] { Env::Required("OS_TEST_REQUIRED"); }), "OS_TEST_REQUIRED: is required but not set");
}

TEST(Env, IntRejectsGarbageAndRange) {
    {
        ScopedEnv e("OS_TEST_INT", "12x");
        EXPECT_EQ(ErrorOf([] { Env::Int("OS_TEST_INT", 1, 0, 100); }), "OS_TEST_INT: expected an integer, got '12x'");
    }
    {
        ScopedEnv e("OS_TEST_INT", "101");
        EXPECT_EQ(ErrorOf([] { Env::Int("OS_TEST_INT", 1, 0, 100); }),
                  "OS_TEST_INT: must be between 0 and 100, got 101");
    }
    {
        ScopedEnv e("OS_TEST_INT", "42");
        EXPECT_EQ(Env::Int("OS_TEST_INT", 1, 0, 100), 42);
    }
    EXPECT_EQ(Env::Int("OS_TEST_INT", 7, 0, 100), 7);
}

TEST(Env, AddressValidation) {
    EXPECT_EQ(Env::Address("OS_TEST_ADDR", "127.0.0.1:50051"), "127.0.0.1:50051");
    ScopedEnv e("OS_TEST_ADDR", "localhost");
    EXPECT_EQ(ErrorOf([] { Env::Address("OS_TEST_ADDR", "x:1"); }), "OS_TEST_ADDR: expected host:port, got 'localhost'");
    ScopedEnv f("OS_TEST_ADDR2", "host:70000");
    EXPECT_NE(ErrorOf([] { Env::Address("OS_TEST_ADDR2", "x:1"); }), "no error");
    ScopedEnv g("OS_TEST_ADDR3", "[::1]:8080");
    EXPECT_EQ(Env::Address("OS_TEST_ADDR3", "x:1"), "[::1]:8080");
}

TEST(Env, BoolAndList) {
    ScopedEnv t("OS_TEST_BOOL", "Yes");
    EXPECT_TRUE(Env::Bool("OS_TEST_BOOL", false));
    ScopedEnv bad("OS_TEST_BOOL2", "maybe");
    EXPECT_EQ(ErrorOf([] { Env::Bool("OS_TEST_BOOL2", false); }), "OS_TEST_BOOL2: expected true or false, got 'maybe'");
    ScopedEnv list("OS_TEST_LIST", " a@x.io, ,B@y.io ,");
    EXPECT_EQ(Env::List("OS_TEST_LIST"), (std::vector<std::string>{"a@x.io", "B@y.io"}));
}

TEST(Env, DatabaseUrl) {
    ScopedEnv bad("OS_TEST_DB", "localhost:5432");
    EXPECT_EQ(ErrorOf([] { Env::DatabaseUrl("OS_TEST_DB", "postgresql://x/y"); }),
              "OS_TEST_DB: expected a postgresql:// URL, got 'localhost:5432'");
    EXPECT_EQ(Env::DatabaseUrl("OS_TEST_DB_UNSET", "postgresql://x/y"), "postgresql://x/y");
}

}  // namespace
