#include "orderstream/events/envelope.hpp"

#include <gtest/gtest.h>

#include "orderstream/core/uuid.hpp"

namespace orderstream::events {
namespace {

TEST(Envelope, RoundTripKeepsEveryField) {
    auto original = Envelope::Make("product_created", R"({"product_id":"42","name":"Caf\u00e9 \"x\"","price":1999})");
    ASSERT_TRUE(uuid::IsValid(original.id));
    ASSERT_TRUE(IsRfc3339(original.occurred_at)) << original.occurred_at;

    auto text = Serialize(original);
    auto parsed = ParseEnvelope(text);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->id, original.id);
    EXPECT_EQ(parsed->type, "product_created");
    EXPECT_EQ(parsed->occurred_at, original.occurred_at);
    EXPECT_EQ(parsed->data, R"({"product_id":"42","name":"Café \"x\"","price":1999})");
}

TEST(Envelope, SerializesTheSeedShapePlusIdAndTime) {
    Envelope e{"0192f0a4-1111-7abc-8def-0123456789ab", "product_deleted", "2026-11-24T01:30:25.123Z",
               R"({"product_id":"7"})"};
    EXPECT_EQ(Serialize(e), R"({"id":"0192f0a4-1111-7abc-8def-0123456789ab","type":"product_deleted",)"
                            R"("occurred_at":"2026-11-24T01:30:25.123Z","data":{"product_id":"7"}})");
}

TEST(Envelope, NowIsUtcWithMilliseconds) {
    auto now = NowRfc3339();
    ASSERT_EQ(now.size(), 24u) << now;
    EXPECT_EQ(now.back(), 'Z');
    EXPECT_EQ(now[19], '.');
}

struct BadEnvelope {
    const char* json;
    const char* expected_fragment;
};

class EnvelopeParseErrors : public ::testing::TestWithParam<BadEnvelope> {};

TEST_P(EnvelopeParseErrors, AreInvalidArgumentNamingTheProblem) {
    auto parsed = ParseEnvelope(GetParam().json);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(parsed.error().message.find(GetParam().expected_fragment), std::string::npos)
        << parsed.error().message;
}

constexpr const char* kId = "0192f0a4-1111-7abc-8def-0123456789ab";

INSTANTIATE_TEST_SUITE_P(
    Cases, EnvelopeParseErrors,
    ::testing::Values(
        BadEnvelope{"", "not JSON"}, BadEnvelope{"{\"id\":", "not JSON"}, BadEnvelope{"\xff\xfe", "not JSON"},
        BadEnvelope{"[1,2]", "not a JSON object"}, BadEnvelope{"{}", "\"id\""},
        BadEnvelope{R"({"id":5,"type":"t","occurred_at":"2026-11-24T01:30:25Z","data":{}})", "\"id\""},
        BadEnvelope{R"({"id":"nope","type":"t","occurred_at":"2026-11-24T01:30:25Z","data":{}})", "not a UUID"},
        BadEnvelope{R"({"id":"0192f0a4-1111-7abc-8def-0123456789ab","occurred_at":"2026-11-24T01:30:25Z","data":{}})",
                    "\"type\""},
        BadEnvelope{R"({"id":"0192f0a4-1111-7abc-8def-0123456789ab","type":"",)"
                    R"("occurred_at":"2026-11-24T01:30:25Z","data":{}})",
                    "\"type\""},
        BadEnvelope{R"({"id":"0192f0a4-1111-7abc-8def-0123456789ab","type":"t","data":{}})", "\"occurred_at\""},
        BadEnvelope{R"({"id":"0192f0a4-1111-7abc-8def-0123456789ab","type":"t","occurred_at":"yesterday","data":{}})",
                    "RFC 3339"},
        BadEnvelope{R"({"id":"0192f0a4-1111-7abc-8def-0123456789ab","type":"t","occurred_at":"2026-11-24T01:30:25Z"})",
                    "\"data\""},
        BadEnvelope{R"({"id":"0192f0a4-1111-7abc-8def-0123456789ab","type":"t",)"
                    R"("occurred_at":"2026-11-24T01:30:25Z","data":[1]})",
                    "\"data\""}));

TEST(Envelope, AcceptsTheSeedFieldsAndIgnoresUnknownMembers) {
    auto parsed = ParseEnvelope(std::string(R"({"type":"interaction","data":{"accountID":"1","user_id":"2"},"id":")") +
                                kId + R"(","occurred_at":"2026-11-24T01:30:25+01:00","extra":true})");
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->data, R"({"accountID":"1","user_id":"2"})");
}

TEST(Rfc3339, AcceptsAndRejects) {
    EXPECT_TRUE(IsRfc3339("2026-11-24T01:30:25Z"));
    EXPECT_TRUE(IsRfc3339("2026-11-24t01:30:25.123456z"));
    EXPECT_TRUE(IsRfc3339("2026-11-24T01:30:25-05:30"));
    EXPECT_FALSE(IsRfc3339("2026-11-24 01:30:25Z"));
    EXPECT_FALSE(IsRfc3339("2026-13-24T01:30:25Z"));
    EXPECT_FALSE(IsRfc3339("2026-11-24T24:30:25Z"));
    EXPECT_FALSE(IsRfc3339("2026-11-24T01:30:25"));
    EXPECT_FALSE(IsRfc3339("2026-11-24T01:30:25.Z"));
    EXPECT_FALSE(IsRfc3339("2026-11-24T01:30:25Zjunk"));
    EXPECT_FALSE(IsRfc3339("2026-11-24T01:30:25+0100"));
}

TEST(JsonObject, Detection) {
    EXPECT_TRUE(IsJsonObject("{}"));
    EXPECT_TRUE(IsJsonObject(R"({"a":[1,{"b":null}]})"));
    EXPECT_FALSE(IsJsonObject("[]"));
    EXPECT_FALSE(IsJsonObject("{"));
    EXPECT_FALSE(IsJsonObject("{} {}"));
    EXPECT_FALSE(IsJsonObject(""));
}

}  // namespace
}  // namespace orderstream::events
