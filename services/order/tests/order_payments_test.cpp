#include <gtest/gtest.h>

#include "order_payments.hpp"

namespace order = orderstream::order;
namespace contracts = orderstream::contracts;
using Kind = order::PaymentDecision::Kind;
using order::OrderStatus;

namespace {

order::LockedOrder Order(OrderStatus status, const std::string& paid_by = "") {
    return {42, 7, status, 30998, "USD", paid_by};
}

contracts::PaymentSucceeded Paid(const std::string& payment_id, std::int64_t amount = 30998,
                                 const std::string& currency = "USD", std::uint64_t account = 7) {
    return {42, account, 3, payment_id, "cks_1", amount, currency, "2026-12-04T10:00:00Z"};
}

contracts::PaymentRefunded Refunded(const std::string& payment_id, std::int64_t total, bool full) {
    return {42, 7, 3, payment_id, "ref_1", total, total, 30998, "USD", full, "2026-12-04T10:00:00Z"};
}

TEST(PaymentDecisions, TheOrdersAmountPaysAPendingOrFailedOrder) {
    for (auto status : {OrderStatus::kPending, OrderStatus::kFailed}) {
        auto decision = order::DecidePaymentSucceeded(Order(status), Paid("pay_1"));
        EXPECT_EQ(decision.kind, Kind::kMove);
        EXPECT_EQ(decision.to, OrderStatus::kPaid);
        EXPECT_EQ(decision.reason, "payment pay_1 succeeded");
    }
}

TEST(PaymentDecisions, TheWrongAmountCurrencyOrBuyerIsRefused) {
    auto low = order::DecidePaymentSucceeded(Order(OrderStatus::kPending), Paid("pay_1", 1));
    EXPECT_EQ(low.kind, Kind::kRefuse);
    EXPECT_EQ(low.reason, "the payment of 0.01 USD is not the order's total of 309.98 USD");
    EXPECT_EQ(order::DecidePaymentSucceeded(Order(OrderStatus::kPending), Paid("pay_1", 30998, "JPY")).kind,
              Kind::kRefuse);
    auto foreign = order::DecidePaymentSucceeded(Order(OrderStatus::kPending), Paid("pay_1", 30998, "USD", 8));
    EXPECT_EQ(foreign.kind, Kind::kRefuse);
    EXPECT_EQ(foreign.reason, "the payment names account 8, the order belongs to 7");
}

TEST(PaymentDecisions, OnePaymentPaysAnOrderOnceAndAnyOtherIsRefused) {
    EXPECT_EQ(order::DecidePaymentSucceeded(Order(OrderStatus::kPaid, "pay_1"), Paid("pay_1")).kind, Kind::kAlreadyDone);
    auto second = order::DecidePaymentSucceeded(Order(OrderStatus::kPaid, "pay_1"), Paid("pay_2"));
    EXPECT_EQ(second.kind, Kind::kRefuse);
    EXPECT_EQ(second.reason, "the order is already paid by payment pay_1");
    EXPECT_EQ(order::DecidePaymentSucceeded(Order(OrderStatus::kCancelled), Paid("pay_2")).reason,
              "the order was cancelled");
    EXPECT_EQ(order::DecidePaymentSucceeded(Order(OrderStatus::kRefunded, "pay_1"), Paid("pay_2")).reason,
              "the order was refunded");
}

TEST(PaymentDecisions, AFailureOnlyMovesAPendingOrder) {
    contracts::PaymentFailed failed{42, 7, 3, "pay_9", "card declined", "2026-12-04T10:00:00Z"};
    auto decision = order::DecidePaymentFailed(Order(OrderStatus::kPending), failed);
    EXPECT_EQ(decision.kind, Kind::kMove);
    EXPECT_EQ(decision.to, OrderStatus::kFailed);
    EXPECT_EQ(decision.reason, "payment pay_9 failed: card declined");
    EXPECT_EQ(order::DecidePaymentFailed(Order(OrderStatus::kFailed), failed).kind, Kind::kAlreadyDone);
    EXPECT_EQ(order::DecidePaymentFailed(Order(OrderStatus::kPaid, "pay_1"), failed).kind, Kind::kIgnore);
}

TEST(PaymentDecisions, OnlyAFullRefundOfThePayingPaymentRefundsTheOrder) {
    auto full = order::DecidePaymentRefunded(Order(OrderStatus::kPaid, "pay_1"), Refunded("pay_1", 30998, true));
    EXPECT_EQ(full.kind, Kind::kMove);
    EXPECT_EQ(full.to, OrderStatus::kRefunded);
    auto partial = order::DecidePaymentRefunded(Order(OrderStatus::kPaid, "pay_1"), Refunded("pay_1", 1000, false));
    EXPECT_EQ(partial.kind, Kind::kIgnore);
    EXPECT_EQ(partial.reason, "a partial refund (10.00 USD of 309.98 USD); the order stays paid");
    auto extra = order::DecidePaymentRefunded(Order(OrderStatus::kPaid, "pay_1"), Refunded("pay_2", 30998, true));
    EXPECT_EQ(extra.kind, Kind::kIgnore);
    EXPECT_EQ(order::DecidePaymentRefunded(Order(OrderStatus::kRefunded, "pay_1"), Refunded("pay_1", 30998, true)).kind,
              Kind::kAlreadyDone);
}

}  // namespace
