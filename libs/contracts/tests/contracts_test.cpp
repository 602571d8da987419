#include <gtest/gtest.h>

#include "orderstream/contracts/interaction_events.hpp"
#include "orderstream/contracts/order_events.hpp"
#include "orderstream/contracts/payment_events.hpp"
#include "orderstream/contracts/product_events.hpp"

namespace contracts = orderstream::contracts;
using orderstream::events::Envelope;

namespace {

template <typename E>
E RoundTrip(const E& event) {
    auto parsed = contracts::Read<E>(Envelope{"id", std::string(event.Type()), "2026-12-04T10:00:00Z", event.ToJson()});
    EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
    EXPECT_TRUE(parsed.ok() && parsed->has_value());
    return parsed.ok() && parsed->has_value() ? **parsed : E{};
}

template <typename E>
std::string ErrorOf(std::string_view type, const std::string& data) {
    auto parsed = contracts::Read<E>(Envelope{"id", std::string(type), "2026-12-04T10:00:00Z", data});
    return parsed.ok() ? std::string("parsed") : parsed.error().message;
}

TEST(ProductEvents, KeepTheSeedsShapeAndRoundTrip) {
    contracts::ProductEvent event;
    event.kind = contracts::ProductEvent::Kind::kUpdated;
    event.product_id = "9f1c";
    event.name = "Wireless Headphones";
    event.description = "Bluetooth";
    event.price_cents = 14999;
    event.account_id = 7;
    EXPECT_EQ(event.Type(), "product_updated");
    EXPECT_EQ(event.ToJson(),
              R"({"product_id":"9f1c","name":"Wireless Headphones","description":"Bluetooth","price":149.99,)"
              R"("price_cents":14999,"currency":"USD","accountID":7})");
    auto back = RoundTrip(event);
    EXPECT_EQ(back.kind, contracts::ProductEvent::Kind::kUpdated);
    EXPECT_EQ(back.price_cents, 14999);
    EXPECT_EQ(back.account_id, 7);
    EXPECT_EQ(back.name, "Wireless Headphones");
}

TEST(ProductEvents, TheSeedsFloatPriceIsReadExactlyAndADeletionNeedsOnlyTheId) {
    auto seed = contracts::ProductEvent::Parse("product_created", R"({"product_id":"p","name":"n","price":19.99})");
    ASSERT_TRUE(seed.ok());
    EXPECT_EQ(seed->price_cents, 1999);
    auto deleted = contracts::ProductEvent::Parse("product_deleted", R"({"product_id":"p"})");
    ASSERT_TRUE(deleted.ok());
    EXPECT_EQ(deleted->kind, contracts::ProductEvent::Kind::kDeleted);
    EXPECT_EQ(ErrorOf<contracts::ProductEvent>("product_created", R"({"product_id":"p","name":"n","price":1.234})"),
              "product_created: data.price must have at most two decimals");
    EXPECT_EQ(ErrorOf<contracts::ProductEvent>("product_created", R"({"product_id":"p","name":"n"})"),
              "product_created: data.price_cents or data.price is required");
    EXPECT_EQ(ErrorOf<contracts::ProductEvent>("product_updated", R"({"product_id":"p","name":"n","price_cents":-1})"),
              "product_updated: data.price_cents must not be negative");
    EXPECT_EQ(ErrorOf<contracts::ProductEvent>("product_updated", "[1]"), "product_updated: data must be a JSON object");
}

TEST(InteractionEvents, RoundTripAndAcceptAnIntegerUserId) {
    auto view = RoundTrip(contracts::ProductViewed{"12", "p1"});
    EXPECT_EQ(view.user_id, "12");
    EXPECT_EQ(view.product_id, "p1");
    auto seed = contracts::ProductViewed::Parse("product_retrieved", R"({"user_id":12,"product_id":"p1"})");
    ASSERT_TRUE(seed.ok());
    EXPECT_EQ(seed->user_id, "12");
    auto purchase = RoundTrip(contracts::PurchaseMade{"12", "p1", 3, 44});
    EXPECT_EQ(purchase.quantity, 3U);
    EXPECT_EQ(purchase.order_id, 44U);
    EXPECT_EQ(purchase.Key(), "12");
    EXPECT_EQ(ErrorOf<contracts::ProductViewed>("product_retrieved", R"({"product_id":"p1"})"),
              "product_retrieved: data.user_id must be a non-empty string of at most 200 bytes");
}

TEST(InteractionEvents, AnotherTypeIsNotThisConsumersToApply) {
    auto other = contracts::Read<contracts::ProductViewed>(Envelope{"id", "purchase", "2026-12-04T10:00:00Z", "{}"});
    ASSERT_TRUE(other.ok());
    EXPECT_FALSE(other->has_value());
}

TEST(OrderEvents, CreatedCarriesTheLineSnapshot) {
    contracts::OrderCreated created;
    created.order_id = 42;
    created.account_id = 7;
    created.total_cents = 30998;
    created.currency = "USD";
    created.lines = {{"p1", "Headphones", 14999, 2}, {"p2", "Cable", 1000, 1}};
    created.created_at = "2026-12-04T10:00:00.123Z";
    EXPECT_EQ(created.Key(), "42");
    auto back = RoundTrip(created);
    ASSERT_EQ(back.lines.size(), 2U);
    EXPECT_EQ(back.lines[0].unit_price_cents, 14999);
    EXPECT_EQ(back.lines[0].quantity, 2U);
    EXPECT_EQ(back.lines[1].name, "Cable");
    EXPECT_EQ(back.total_cents, 30998);
    EXPECT_EQ(ErrorOf<contracts::OrderCreated>("order.created",
                                               R"({"order_id":1,"account_id":1,"total_cents":1,"currency":"USD",)"
                                               R"("created_at":"2026-12-04T10:00:00Z","lines":[{"product_id":"p",)"
                                               R"("unit_price_cents":1,"quantity":0}]})"),
              "order.created: data.lines[0].quantity must be between 1 and 1000");
    EXPECT_EQ(ErrorOf<contracts::OrderCreated>("order.created",
                                               R"({"order_id":1,"account_id":1,"total_cents":1,"currency":"usd",)"
                                               R"("created_at":"2026-12-04T10:00:00Z","lines":[]})"),
              "order.created: data.currency must be a three-letter ISO 4217 code");
}

TEST(OrderEvents, StatusChangesNameKnownStatuses) {
    contracts::OrderStatusChanged changed{42, 7, "pending", "paid", "payment pay_1 succeeded", "2026-12-04T10:00:00Z",
                                          "pay_1"};
    auto back = RoundTrip(changed);
    EXPECT_EQ(back.from, "pending");
    EXPECT_EQ(back.to, "paid");
    EXPECT_EQ(back.payment_id, "pay_1");
    EXPECT_EQ(ErrorOf<contracts::OrderStatusChanged>(
                  "order.status_changed",
                  R"({"order_id":42,"account_id":7,"from":"pending","to":"shipped","at":"2026-12-04T10:00:00Z"})"),
              "order.status_changed: data.to must be pending, paid, failed, cancelled or refunded");
    EXPECT_EQ(ErrorOf<contracts::OrderStatusChanged>(
                  "order.status_changed",
                  R"({"order_id":0,"account_id":7,"from":"pending","to":"paid","at":"2026-12-04T10:00:00Z"})"),
              "order.status_changed: data.order_id must be a positive integer id");
    auto refused = RoundTrip(contracts::OrderPaymentRefused{42, 7, "pay_2", "cancelled", "the order was cancelled",
                                                            "2026-12-04T10:00:00Z"});
    EXPECT_EQ(refused.order_status, "cancelled");
}

TEST(PaymentEvents, RoundTripAndRefuseImpossibleAmounts) {
    contracts::PaymentSucceeded paid{42, 7, 3, "pay_1", "cks_1", 30998, "USD", "2026-12-04T10:00:00Z"};
    auto back = RoundTrip(paid);
    EXPECT_EQ(back.amount_cents, 30998);
    EXPECT_EQ(back.transaction_id, 3U);
    EXPECT_EQ(back.Key(), "42");
    auto failed = RoundTrip(contracts::PaymentFailed{42, 7, 3, "pay_1", "declined", "2026-12-04T10:00:00Z"});
    EXPECT_EQ(failed.reason, "declined");
    contracts::PaymentRefunded refunded{42, 7, 3, "pay_1", "ref_1", 998, 30998, 30998, "USD", true,
                                        "2026-12-04T10:00:00Z"};
    EXPECT_TRUE(RoundTrip(refunded).fully_refunded);
    refunded.refunded_total_cents = 40000;
    EXPECT_EQ(ErrorOf<contracts::PaymentRefunded>("payment.refunded", refunded.ToJson()),
              "payment.refunded: data.refunded_total_cents must not exceed data.payment_amount_cents");
    EXPECT_EQ(ErrorOf<contracts::PaymentSucceeded>(
                  "payment.succeeded",
                  R"({"order_id":42,"account_id":7,"transaction_id":3,"payment_id":"p","amount_cents":1.5,)"
                  R"("currency":"USD","at":"2026-12-04T10:00:00Z"})"),
              "payment.succeeded: data.amount_cents must be a non-negative integer of minor units");
}

}  // namespace
