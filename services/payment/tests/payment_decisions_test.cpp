#include <gtest/gtest.h>

#include "payment_decisions.hpp"

namespace orderstream::payment {
namespace {

TransactionState Checkout(const std::string& status = "pending") {
    TransactionState t;
    t.id = 3;
    t.order_id = 42;
    t.account_id = 7;
    t.checkout_session_id = "cks_1";
    t.status = status;
    t.amount_cents = 10000;
    t.currency = "USD";
    return t;
}

TransactionState Paid(const std::string& payment_id = "pay_1") {
    auto t = Checkout("succeeded");
    t.payment_id = payment_id;
    t.taken_cents = 10000;
    t.accepted = true;
    return t;
}

WebhookEvent Payment(const std::string& type = "payment.succeeded", std::int64_t amount = 10000,
                     const std::string& currency = "USD") {
    WebhookEvent e;
    e.type = type;
    e.payment_id = "pay_1";
    e.checkout_session_id = "cks_1";
    e.total_amount = amount;
    e.currency = currency;
    e.order_id = 42;
    e.user_id = 7;
    return e;
}

WebhookEvent Refund(std::optional<std::int64_t> amount, const std::string& type = "refund.succeeded") {
    WebhookEvent e;
    e.type = type;
    e.payment_id = "pay_1";
    e.refund_id = "ref_1";
    e.amount = amount;
    e.currency = "USD";
    return e;
}

TEST(PaymentDecisions, TheCheckoutsExactAmountPaysTheOrder) {
    auto decision = DecidePaymentEvent(Payment(), Checkout(), std::nullopt);
    EXPECT_EQ(decision.verdict, Verdict::kAccept);
    EXPECT_EQ(DecidePaymentEvent(Payment(), Checkout("failed"), std::nullopt).verdict, Verdict::kAccept);
}

TEST(PaymentDecisions, AnythingButTheTransactionsAmountCurrencyOrderAndUserIsAnAnomalyThatIsRefunded) {
    struct Case {
        WebhookEvent event;
        const char* kind;
    };
    auto foreign_order = Payment();
    foreign_order.order_id = 99;
    auto foreign_user = Payment();
    foreign_user.user_id = 8;
    auto no_metadata = Payment();
    no_metadata.order_id.reset();
    auto no_amount = Payment();
    no_amount.total_amount.reset();
    for (const auto& c : {Case{Payment("payment.succeeded", 1), "amount_mismatch"},
                          Case{Payment("payment.succeeded", 1000000), "amount_mismatch"},
                          Case{no_amount, "amount_mismatch"},
                          Case{Payment("payment.succeeded", 10000, "JPY"), "currency_mismatch"},
                          Case{foreign_order, "order_mismatch"},
                          Case{no_metadata, "order_mismatch"},
                          Case{foreign_user, "user_mismatch"}}) {
        auto decision = DecidePaymentEvent(c.event, Checkout(), std::nullopt);
        EXPECT_EQ(decision.verdict, Verdict::kAnomaly) << c.kind;
        EXPECT_EQ(decision.anomaly, c.kind);
        EXPECT_TRUE(decision.refund) << c.kind;
    }
    EXPECT_EQ(DecidePaymentEvent(Payment("payment.succeeded", 1), Checkout(), std::nullopt).detail,
              "payment pay_1 took 0.01 USD for a checkout of 100.00 USD");
}

TEST(PaymentDecisions, APaymentNoCheckoutOfOursExpectsIsRefunded) {
    auto decision = DecidePaymentEvent(Payment(), std::nullopt, std::nullopt);
    EXPECT_EQ(decision.verdict, Verdict::kAnomaly);
    EXPECT_EQ(decision.anomaly, "unknown_payment");
    EXPECT_TRUE(decision.refund);
    // A failure of an unknown payment took nothing.
    EXPECT_EQ(DecidePaymentEvent(Payment("payment.failed"), std::nullopt, std::nullopt).verdict, Verdict::kIgnore);
}

TEST(PaymentDecisions, OneOrderOneCharge) {
    // The same payment again (another webhook-id): nothing.
    EXPECT_EQ(DecidePaymentEvent(Payment(), Paid(), std::nullopt).verdict, Verdict::kDuplicate);
    // Another session of an order another payment already paid.
    auto second = DecidePaymentEvent(Payment(), Checkout(), std::string("pay_0"));
    EXPECT_EQ(second.verdict, Verdict::kAnomaly);
    EXPECT_EQ(second.anomaly, "duplicate_payment");
    EXPECT_TRUE(second.refund);
    // A session paid twice.
    auto again = Payment();
    again.payment_id = "pay_2";
    auto twice = DecidePaymentEvent(again, Paid("pay_1"), std::nullopt);
    EXPECT_EQ(twice.anomaly, "second_payment");
    EXPECT_TRUE(twice.refund);
    // A checkout closed because the order was cancelled or paid, paid anyway.
    auto closed = DecidePaymentEvent(Payment(), Checkout("closed"), std::nullopt);
    EXPECT_EQ(closed.anomaly, "payment_for_closed_checkout");
    EXPECT_TRUE(closed.refund);
}

TEST(PaymentDecisions, FailuresMoveOnlyWhatHasNotSucceeded) {
    EXPECT_EQ(DecidePaymentEvent(Payment("payment.failed"), Checkout(), std::nullopt).verdict, Verdict::kFailure);
    EXPECT_EQ(DecidePaymentEvent(Payment("payment.cancelled"), Checkout(), std::nullopt).verdict, Verdict::kFailure);
    EXPECT_EQ(DecidePaymentEvent(Payment("payment.failed"), Checkout("failed"), std::nullopt).verdict,
              Verdict::kDuplicate);
    EXPECT_EQ(DecidePaymentEvent(Payment("payment.failed"), Paid(), std::nullopt).verdict, Verdict::kIgnore);
    EXPECT_EQ(DecidePaymentEvent(Payment("payment.processing"), Checkout(), std::nullopt).verdict, Verdict::kIgnore);
}

TEST(RefundDecisions, OnlyMoneyThatWasTakenCanBeGivenBack) {
    auto unknown = DecideRefundEvent(Refund(500), std::nullopt, std::nullopt);
    EXPECT_EQ(unknown.anomaly, "refund_for_unknown_payment");
    EXPECT_FALSE(unknown.refund);
    auto never_paid = DecideRefundEvent(Refund(500), Checkout(), std::nullopt);
    EXPECT_EQ(never_paid.verdict, Verdict::kAnomaly);
    EXPECT_EQ(never_paid.anomaly, "refund_without_payment");
    EXPECT_EQ(DecideRefundEvent(Refund(500), Checkout("failed"), std::nullopt).anomaly, "refund_without_payment");
}

TEST(RefundDecisions, RefundsAddUpToAtMostWhatWasTaken) {
    EXPECT_EQ(DecideRefundEvent(Refund(500), Paid(), std::nullopt).verdict, Verdict::kRefund);
    auto partly = Paid();
    partly.status = "partially_refunded";
    partly.refunded_cents = 9500;
    EXPECT_EQ(DecideRefundEvent(Refund(500), partly, std::nullopt).verdict, Verdict::kRefund);
    auto too_much = DecideRefundEvent(Refund(501), partly, std::nullopt);
    EXPECT_EQ(too_much.anomaly, "refund_exceeds_payment");
    auto jpy = Refund(500);
    jpy.currency = "JPY";
    EXPECT_EQ(DecideRefundEvent(jpy, Paid(), std::nullopt).anomaly, "refund_currency_mismatch");
    // No amount in the event: the amount we asked for.
    RefundState ours{1, "", "requested", 10000};
    EXPECT_EQ(DecideRefundEvent(Refund(std::nullopt), Paid(), ours).verdict, Verdict::kRefund);
    EXPECT_EQ(DecideRefundEvent(Refund(std::nullopt), Paid(), std::nullopt).anomaly, "refund_without_amount");
}

TEST(RefundDecisions, ARefundIsSettledOnce) {
    RefundState settled{1, "ref_1", "succeeded", 500};
    EXPECT_EQ(DecideRefundEvent(Refund(500), Paid(), settled).verdict, Verdict::kDuplicate);
    EXPECT_EQ(DecideRefundEvent(Refund(500, "refund.failed"), Paid(), std::nullopt).verdict, Verdict::kRefundFailed);
}

}  // namespace
}  // namespace orderstream::payment
