#include "orderstream/core/money.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace money = orderstream::money;

namespace {

TEST(Money, ParsesTwoDecimalAmountsExactly) {
    EXPECT_EQ(money::ParseMajorUnits(19.99, "price").value(), 1999);
    EXPECT_EQ(money::ParseMajorUnits(0.10, "price").value(), 10);
    EXPECT_EQ(money::ParseMajorUnits(0.0, "price").value(), 0);
    EXPECT_EQ(money::ParseMajorUnits(149.99, "price").value(), 14999);
    EXPECT_EQ(money::ParseMajorUnits(1e9, "price").value(), 100'000'000'000);
    EXPECT_EQ(money::ParseMajorUnits(999999999.99, "price").value(), 99'999'999'999);
    // Every cent amount below 10,000.00 round-trips exactly.
    for (std::int64_t cents = 0; cents < 1'000'000; ++cents) {
        auto parsed = money::ParseMajorUnits(money::ToMajorUnits(cents), "price");
        ASSERT_TRUE(parsed.ok()) << cents;
        ASSERT_EQ(parsed.value(), cents);
    }
}

TEST(Money, RejectsBadAmountsNamingTheField) {
    auto nan = money::ParseMajorUnits(std::nan(""), "price");
    ASSERT_FALSE(nan.ok());
    EXPECT_EQ(nan.error().message, "price must be a number, got NaN");
    EXPECT_EQ(money::ParseMajorUnits(-0.01, "price").error().message, "price must not be negative");
    EXPECT_EQ(money::ParseMajorUnits(1e9 + 0.01, "price").error().message, "price must be at most 1000000000");
    EXPECT_EQ(money::ParseMajorUnits(std::numeric_limits<double>::infinity(), "amount").error().message,
              "amount must be finite");
    EXPECT_EQ(money::ParseMajorUnits(1.005, "price").error().message, "price must have at most two decimals");
    EXPECT_EQ(money::ParseMajorUnits(0.001, "price").error().code, orderstream::ErrorCode::kInvalidArgument);
    EXPECT_FALSE(money::ParseMajorUnits(19.999, "price").ok());
}

TEST(Money, SumsStayExact) {
    // The classic float failures: 0.10 * 3 and 19.99 * 7.
    auto ten_cents = money::ParseMajorUnits(0.10, "price").value();
    EXPECT_EQ(money::Multiply(ten_cents, 3).value(), 30);
    EXPECT_EQ(money::ToMajorUnits(money::Multiply(ten_cents, 3).value()), 0.30);
    auto price = money::ParseMajorUnits(19.99, "price").value();
    EXPECT_EQ(money::Multiply(price, 7).value(), 13993);
    EXPECT_EQ(money::FormatMajorUnits(13993), "139.93");
    EXPECT_EQ(money::FormatMajorUnits(5), "0.05");
    EXPECT_EQ(money::FormatMajorUnits(-250), "-2.50");
    EXPECT_FALSE(money::Multiply(std::numeric_limits<std::int64_t>::max() / 2, 3).ok());
}

}  // namespace
