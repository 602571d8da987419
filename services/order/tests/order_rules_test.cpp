#include <sodium.h>

#include <gtest/gtest.h>

#include "orderstream/contracts/interaction_events.hpp"

#include "order_book.hpp"
#include "order_rules.hpp"

namespace order = orderstream::order;
using order::OrderStatus;

namespace {

TEST(StateMachine, LegalTransitions) {
    EXPECT_TRUE(order::CheckTransition(1, OrderStatus::kPending, OrderStatus::kPaid).ok());
    EXPECT_TRUE(order::CheckTransition(1, OrderStatus::kPending, OrderStatus::kFailed).ok());
    EXPECT_TRUE(order::CheckTransition(1, OrderStatus::kPending, OrderStatus::kCancelled).ok());
    EXPECT_TRUE(order::CheckTransition(1, OrderStatus::kFailed, OrderStatus::kPaid).ok());
    EXPECT_TRUE(order::CheckTransition(1, OrderStatus::kPaid, OrderStatus::kRefunded).ok());
    for (auto s : {OrderStatus::kPending, OrderStatus::kPaid, OrderStatus::kFailed, OrderStatus::kCancelled,
                   OrderStatus::kRefunded}) {
        EXPECT_TRUE(order::CheckTransition(1, s, s).ok()) << order::ToString(s);
    }
}

TEST(StateMachine, IllegalTransitionsNameBothStates) {
    auto refused = order::CheckTransition(42, OrderStatus::kPaid, OrderStatus::kPending);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, orderstream::ErrorCode::kFailedPrecondition);
    EXPECT_EQ(refused.error().message, "order 42 cannot move from paid to pending");
    EXPECT_FALSE(order::CheckTransition(1, OrderStatus::kPending, OrderStatus::kRefunded).ok());
    EXPECT_FALSE(order::CheckTransition(1, OrderStatus::kPaid, OrderStatus::kFailed).ok());
    EXPECT_FALSE(order::CheckTransition(1, OrderStatus::kPaid, OrderStatus::kCancelled).ok());
    EXPECT_FALSE(order::CheckTransition(1, OrderStatus::kCancelled, OrderStatus::kPaid).ok());
    EXPECT_FALSE(order::CheckTransition(1, OrderStatus::kRefunded, OrderStatus::kPaid).ok());
    EXPECT_TRUE(order::CheckTransition(1, OrderStatus::kFailed, OrderStatus::kCancelled).ok());  // the buyer gives up
    EXPECT_FALSE(order::CheckTransition(1, OrderStatus::kFailed, OrderStatus::kPending).ok());
}

TEST(StateMachine, ParseStatus) {
    EXPECT_EQ(order::ParseStatus("paid").value(), OrderStatus::kPaid);
    EXPECT_EQ(order::ParseStatus("PAID").error().code, orderstream::ErrorCode::kInvalidArgument);
    EXPECT_FALSE(order::ParseStatus("").ok());
}

TEST(Cart, Validation) {
    using Lines = std::vector<order::CartLine>;
    EXPECT_EQ(order::ValidateCart({}).error().message, "products must not be empty");
    EXPECT_EQ(order::ValidateCart(Lines{{"a", 0}}).error().message, "products[0].quantity must be between 1 and 1000");
    EXPECT_EQ(order::ValidateCart(Lines{{"a", 1}, {"b", 1001}}).error().message,
              "products[1].quantity must be between 1 and 1000");
    EXPECT_EQ(order::ValidateCart(Lines{{"", 1}}).error().message, "products[0].id must not be empty");
    EXPECT_EQ(order::ValidateCart(Lines{{"a", 1}, {"a", 2}}).error().message,
              "products[1].id a appears twice; list each product once");
    Lines many;
    for (int i = 0; i < 101; ++i) many.push_back({"p" + std::to_string(i), 1});
    EXPECT_EQ(order::ValidateCart(many).error().message, "an order may have at most 100 products");
    many.pop_back();
    EXPECT_TRUE(order::ValidateCart(many).ok());
    EXPECT_TRUE(order::ValidateCart(Lines{{"a", 1000}}).ok());
}

TEST(Cart, FingerprintIgnoresLineOrderOnly) {
    ASSERT_GE(sodium_init(), 0);
    using Lines = std::vector<order::CartLine>;
    auto a = order::CartFingerprint(Lines{{"x", 1}, {"y", 2}});
    EXPECT_EQ(a, order::CartFingerprint(Lines{{"y", 2}, {"x", 1}}));
    EXPECT_NE(a, order::CartFingerprint(Lines{{"x", 2}, {"y", 1}}));
    EXPECT_NE(a, order::CartFingerprint(Lines{{"x", 1}}));
    EXPECT_NE(order::CartFingerprint(Lines{{"x1", 1}}), order::CartFingerprint(Lines{{"x", 11}}));
}

TEST(Pricing, TotalsAreExactToTheCent) {
    std::map<std::string, order::CatalogEntry> catalog = {{"dime", {"Dime", "", 10}}, {"tee", {"Tee", "", 1999}}};
    auto dimes = order::PriceCart({{"dime", 3}}, catalog);
    ASSERT_TRUE(dimes.ok());
    EXPECT_EQ(dimes->total_cents, 30);
    auto tees = order::PriceCart({{"tee", 7}, {"dime", 1}}, catalog);
    EXPECT_EQ(tees->total_cents, 13993 + 10);
    EXPECT_EQ(tees->lines[0].product.name, "Tee");
    auto missing = order::PriceCart({{"tee", 1}, {"ghost", 1}}, catalog);
    EXPECT_EQ(missing.error().code, orderstream::ErrorCode::kNotFound);
    EXPECT_EQ(missing.error().message, "product ghost not found");
    std::map<std::string, order::CatalogEntry> huge = {{"gold", {"Gold", "", INT64_MAX / 2}}};
    EXPECT_FALSE(order::PriceCart({{"gold", 3}}, huge).ok());
}

TEST(PurchaseEvent, SeedFieldsPlusQuantityAndOrder) {
    orderstream::contracts::PurchaseMade purchase{"5", "p-1", 2, 77};
    EXPECT_EQ(purchase.ToJson(), R"({"user_id":"5","product_id":"p-1","quantity":2,"order_id":77})");
}

}  // namespace
