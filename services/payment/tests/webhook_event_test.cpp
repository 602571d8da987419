#include <gtest/gtest.h>

#include "webhook_event.hpp"

namespace orderstream::payment {
namespace {

TEST(WebhookEvent, ReadsAPaymentSucceededDelivery) {
    auto event = ParseWebhookEvent(R"({"business_id":"bus_1","type":"payment.succeeded",
        "timestamp":"2026-11-24T12:00:00Z","data":{"payload_type":"Payment","payment_id":"pay_1",
        "status":"succeeded","total_amount":2599,"settlement_amount":2450,"currency":"USD",
        "settlement_currency":"EUR","checkout_session_id":"cks_9","metadata":{"order_id":"42","user_id":"7"}}})");
    ASSERT_TRUE(event.ok()) << event.error().message;
    EXPECT_EQ(event->type, "payment.succeeded");
    EXPECT_EQ(event->payment_id, "pay_1");
    EXPECT_EQ(event->status, "succeeded");
    EXPECT_EQ(event->checkout_session_id, "cks_9");
    EXPECT_EQ(event->order_id, 42U);
    EXPECT_EQ(event->total_amount, 2599);
    EXPECT_EQ(event->settlement_amount, 2450);
    EXPECT_EQ(event->currency, "USD");
    EXPECT_EQ(event->settlement_currency, "EUR");
}

TEST(WebhookEvent, AcceptsNumericMetadataAndNoPayloadType) {
    auto event = ParseWebhookEvent(
        R"({"type":"payment.failed","data":{"payment_id":"pay_2","metadata":{"order_id":9},"total_amount":100}})");
    ASSERT_TRUE(event.ok()) << event.error().message;
    EXPECT_EQ(event->order_id, 9U);
    EXPECT_FALSE(event->settlement_amount.has_value());
}

TEST(WebhookEvent, UnknownTypesParseWithoutPaymentFields) {
    auto event = ParseWebhookEvent(R"({"type":"dispute.opened","data":{"dispute_id":"dsp_1"}})");
    ASSERT_TRUE(event.ok()) << event.error().message;
    EXPECT_EQ(event->type, "dispute.opened");
    EXPECT_FALSE(event->is_payment());
    EXPECT_FALSE(event->is_refund());
}

TEST(WebhookEvent, ReadsARefundWithTheAmountGivenBack) {
    auto event = ParseWebhookEvent(R"({"type":"refund.succeeded","data":{"payload_type":"Refund","refund_id":"ref_1",
        "payment_id":"pay_1","status":"succeeded","amount":500,"currency":"USD","is_partial":true,
        "metadata":{"order_id":"42","user_id":"7"}}})");
    ASSERT_TRUE(event.ok()) << event.error().message;
    EXPECT_TRUE(event->is_refund());
    EXPECT_EQ(event->refund_id, "ref_1");
    EXPECT_EQ(event->amount, 500);
    EXPECT_EQ(event->user_id, 7U);
    EXPECT_EQ(event->order_id, 42U);
}

TEST(WebhookEvent, RejectsWhatWouldMisstateMoney) {
    struct Case {
        const char* body;
        const char* message;
    };
    for (const auto& c : {
             Case{"not json", "the body must be one JSON object and nothing else"},
             Case{"[1]", "the body must be one JSON object and nothing else"},
             Case{R"({"type":"payment.failed","data":{"payment_id":"p"}} {"type":"payment.succeeded"})",
                  "the body must be one JSON object and nothing else"},
             Case{R"({"data":{}})", "type must be a non-empty string"},
             Case{R"({"type":"payment.succeeded"})", "data must be an object"},
             Case{R"({"type":"payment.succeeded","data":{}})", "data.payment_id must be a non-empty string"},
             Case{R"({"type":"refund.succeeded","data":{"refund_id":"r"}})", "data.payment_id must be a non-empty string"},
             Case{R"({"type":"refund.succeeded","data":{"payment_id":"p"}})", "data.refund_id must be a non-empty string"},
             Case{R"({"type":"refund.succeeded","data":{"payment_id":"p","refund_id":"r","amount":-5}})",
                  "data.amount must be a non-negative integer"},
             Case{R"({"type":"payment.succeeded","data":{"payment_id":"p","total_amount":25.99}})",
                  "data.total_amount must be a non-negative integer"},
             Case{R"({"type":"payment.succeeded","data":{"payment_id":"p","total_amount":-100}})",
                  "data.total_amount must be a non-negative integer"},
             Case{R"({"type":"payment.succeeded","data":{"payment_id":"p","settlement_amount":"7"}})",
                  "data.settlement_amount must be a non-negative integer"},
             Case{R"({"type":"payment.succeeded","data":{"payment_id":"p","metadata":{"user_id":"me"}}})",
                  "data.metadata.user_id must be a positive integer"},
             Case{R"({"type":"payment.succeeded","data":{"payment_id":"p","metadata":{"order_id":"4x"}}})",
                  "data.metadata.order_id must be a positive integer"},
             Case{R"({"type":"payment.succeeded","data":{"payment_id":"p","metadata":{"order_id":"0"}}})",
                  "data.metadata.order_id must be a positive integer"},
             Case{R"({"type":"payment.succeeded","data":{"payment_id":"p","metadata":{"order_id":-3}}})",
                  "data.metadata.order_id must be a positive integer"},
         }) {
        auto event = ParseWebhookEvent(c.body);
        ASSERT_FALSE(event.ok()) << c.body;
        EXPECT_EQ(event.error().code, ErrorCode::kInvalidArgument);
        EXPECT_EQ(event.error().message, c.message) << c.body;
    }
}

}  // namespace
}  // namespace orderstream::payment
