#include "webhook_signature.hpp"

#include <chrono>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using orderstream::ErrorCode;
using orderstream::payment::SignatureVerifier;
using std::chrono::seconds;
using std::chrono::system_clock;
using testing::HasSubstr;

// Standard Webhooks test vector A (the Go, JS, PHP, C#, Java and Python suites share it).
constexpr char kSecret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr char kBareSecret[] = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr char kId[] = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr char kTimestamp[] = "1614265330";
constexpr std::int64_t kTimestampSeconds = 1614265330;
constexpr char kPayload[] = R"({"test": 2432232314})";
constexpr char kExpected[] = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
constexpr char kWrong[] = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";

system_clock::time_point At(std::int64_t unix_seconds) { return system_clock::time_point(seconds(unix_seconds)); }
const system_clock::time_point kSentAt = At(kTimestampSeconds);

SignatureVerifier Verifier(const char* secret = kSecret) {
    auto verifier = SignatureVerifier::FromSecret(secret);
    if (!verifier) throw std::runtime_error("test secret rejected: " + verifier.error().message);
    return std::move(verifier).value();
}

// The message of a failed verification; fails the test when verification passed or the code is wrong.
std::string Rejection(const orderstream::Status& status) {
    EXPECT_FALSE(status.ok());
    if (status.ok()) return "";
    EXPECT_EQ(status.error().code, ErrorCode::kUnauthenticated);
    return status.error().message;
}

TEST(SignatureVerifier, SignsVectorAWithPrefixedAndBareSecret) {
    EXPECT_EQ(Verifier(kSecret).Sign(kId, kTimestampSeconds, kPayload), kExpected);
    EXPECT_EQ(Verifier(kBareSecret).Sign(kId, kTimestampSeconds, kPayload), kExpected);
}

TEST(SignatureVerifier, VerifiesVectorAWithPrefixedAndBareSecret) {
    EXPECT_TRUE(Verifier(kSecret).Verify(kId, kTimestamp, kExpected, kPayload, kSentAt).ok());
    EXPECT_TRUE(Verifier(kBareSecret).Verify(kId, kTimestamp, kExpected, kPayload, kSentAt).ok());
}

TEST(SignatureVerifier, RejectsWrongSignature) {
    EXPECT_THAT(Rejection(Verifier().Verify(kId, kTimestamp, kWrong, kPayload, kSentAt)),
                HasSubstr("no v1 signature"));
}

TEST(SignatureVerifier, RejectsPartialSignature) {
    EXPECT_THAT(Rejection(Verifier().Verify(kId, kTimestamp, "v1,", kPayload, kSentAt)), HasSubstr("no v1 signature"));
    EXPECT_THAT(Rejection(Verifier().Verify(kId, kTimestamp, "v1", kPayload, kSentAt)), HasSubstr("no v1 signature"));
    EXPECT_THAT(Rejection(Verifier().Verify(kId, kTimestamp, " ", kPayload, kSentAt)), HasSubstr("no v1 signature"));
}

TEST(SignatureVerifier, IgnoresOtherVersionsEvenWithTheRightDigest) {
    const std::string digest = std::string(kExpected).substr(3);
    EXPECT_THAT(Rejection(Verifier().Verify(kId, kTimestamp, "v2," + digest, kPayload, kSentAt)),
                HasSubstr("no v1 signature"));
    EXPECT_THAT(Rejection(Verifier().Verify(kId, kTimestamp, "V1," + digest, kPayload, kSentAt)),
                HasSubstr("no v1 signature"));
    EXPECT_THAT(Rejection(Verifier().Verify(kId, kTimestamp, "v1a," + digest, kPayload, kSentAt)),
                HasSubstr("no v1 signature"));
}

TEST(SignatureVerifier, AcceptsMultiSignatureHeaderWithOneValidEntry) {
    const std::string wrong_digest = std::string(kWrong).substr(3);
    const std::string header =
        std::string(kWrong) + " v2," + wrong_digest + " " + kExpected + " v1," + wrong_digest;
    EXPECT_TRUE(Verifier().Verify(kId, kTimestamp, header, kPayload, kSentAt).ok());
    // Malformed entries and doubled spaces are skipped, not fatal.
    const std::string messy = std::string("v1, v1 , v2 v1,=  ") + kExpected;
    EXPECT_TRUE(Verifier().Verify(kId, kTimestamp, messy, kPayload, kSentAt).ok());
    // A valid digest with trailing garbage is not a match.
    EXPECT_FALSE(Verifier().Verify(kId, kTimestamp, std::string(kExpected) + "x", kPayload, kSentAt).ok());
}

TEST(SignatureVerifier, AcceptsTimestampsUpTo300SecondsAwayInEitherDirection) {
    auto verifier = Verifier();
    EXPECT_TRUE(verifier.Verify(kId, kTimestamp, kExpected, kPayload, At(kTimestampSeconds + 300)).ok());
    EXPECT_TRUE(verifier.Verify(kId, kTimestamp, kExpected, kPayload, At(kTimestampSeconds - 300)).ok());
}

TEST(SignatureVerifier, RejectsStaleTimestamp) {
    auto verifier = Verifier();
    EXPECT_THAT(Rejection(verifier.Verify(kId, kTimestamp, kExpected, kPayload, At(kTimestampSeconds + 301))),
                HasSubstr("past"));
    EXPECT_THAT(Rejection(verifier.Verify(kId, kTimestamp, kExpected, kPayload,
                                          At(kTimestampSeconds + 300) + std::chrono::milliseconds(1))),
                HasSubstr("past"));
    EXPECT_THAT(Rejection(verifier.Verify(kId, kTimestamp, kExpected, kPayload, At(kTimestampSeconds + 86400))),
                HasSubstr("past"));
}

TEST(SignatureVerifier, RejectsFutureTimestamp) {
    auto verifier = Verifier();
    EXPECT_THAT(Rejection(verifier.Verify(kId, kTimestamp, kExpected, kPayload, At(kTimestampSeconds - 301))),
                HasSubstr("future"));
    EXPECT_THAT(Rejection(verifier.Verify(kId, kTimestamp, kExpected, kPayload, At(kTimestampSeconds - 86400))),
                HasSubstr("future"));
}

TEST(SignatureVerifier, ExtremeTimestampsAreRejectedWithoutOverflow) {
    auto verifier = Verifier();
    const auto now = At(kTimestampSeconds);
    EXPECT_THAT(Rejection(verifier.Verify(kId, "9223372036854775807", kExpected, kPayload, now)), HasSubstr("future"));
    EXPECT_THAT(Rejection(verifier.Verify(kId, "-9223372036854775808", kExpected, kPayload, now)), HasSubstr("past"));
    EXPECT_THAT(Rejection(verifier.Verify(kId, "99999999999999999999", kExpected, kPayload, now)),
                HasSubstr("not an integer"));
}

TEST(SignatureVerifier, RejectsNonIntegerTimestamp) {
    auto verifier = Verifier();
    for (const char* ts : {"1614265330.5", "abc", " 1614265330", "1614265330 ", "+1614265330", "0x60372f72",
                           "2021-02-25T15:02:10Z"}) {
        EXPECT_THAT(Rejection(verifier.Verify(kId, ts, kExpected, kPayload, kSentAt)), HasSubstr("not an integer"))
            << ts;
    }
}

TEST(SignatureVerifier, RejectsMissingHeadersByName) {
    auto verifier = Verifier();
    EXPECT_THAT(Rejection(verifier.Verify("", kTimestamp, kExpected, kPayload, kSentAt)),
                HasSubstr("missing webhook-id"));
    EXPECT_THAT(Rejection(verifier.Verify(kId, "", kExpected, kPayload, kSentAt)),
                HasSubstr("missing webhook-timestamp"));
    EXPECT_THAT(Rejection(verifier.Verify(kId, kTimestamp, "", kPayload, kSentAt)),
                HasSubstr("missing webhook-signature"));
}

TEST(SignatureVerifier, RejectsAnyChangeToTheSignedContent) {
    auto verifier = Verifier();
    std::string body = kPayload;
    body[body.size() - 2] = '5';  // one digit of the amount
    EXPECT_THAT(Rejection(verifier.Verify(kId, kTimestamp, kExpected, body, kSentAt)), HasSubstr("no v1 signature"));
    EXPECT_FALSE(verifier.Verify(kId, kTimestamp, kExpected, std::string(kPayload) + "\n", kSentAt).ok());
    EXPECT_FALSE(verifier.Verify(kId, kTimestamp, kExpected, R"({"test":2432232314})", kSentAt).ok());
    EXPECT_FALSE(verifier.Verify("msg_p5jXN8AQM9LWM0D4loKWxJeK", kTimestamp, kExpected, kPayload, kSentAt).ok());
    // A replay with a fresh timestamp but the old signature.
    EXPECT_FALSE(verifier.Verify(kId, "1614265331", kExpected, kPayload, kSentAt).ok());
}

TEST(SignatureVerifier, OtherSecretDoesNotVerify) {
    auto other = Verifier("whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXk=");
    EXPECT_FALSE(other.Verify(kId, kTimestamp, kExpected, kPayload, kSentAt).ok());
}

TEST(SignatureVerifier, SignThenVerifyRoundTripsArbitraryBytes) {
    auto verifier = Verifier();
    static const char kBytes[] = "{\"a\":\"\xff\x00\x01 \xe2\x82\xac\"}";
    const std::string body(kBytes, sizeof kBytes - 1);
    const std::string header = verifier.Sign("msg_1", 1700000000, body);
    EXPECT_EQ(header.rfind("v1,", 0), 0u);
    EXPECT_EQ(header.size(), 3u + 44u);
    EXPECT_TRUE(verifier.Verify("msg_1", "1700000000", header, body, At(1700000000)).ok());
    EXPECT_FALSE(verifier.Verify("msg_1", "1700000000", header, body.substr(0, body.size() - 1), At(1700000000)).ok());
}

TEST(SignatureVerifier, RejectsUnusableSecrets) {
    for (const char* secret : {"", "whsec_", "whsec_!!!not-base64!!!", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS",
                               "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw ", "whsec_====",
                               "whsec_ MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}) {
        auto verifier = SignatureVerifier::FromSecret(secret);
        ASSERT_FALSE(verifier.ok()) << "accepted secret '" << secret << "'";
        EXPECT_EQ(verifier.error().code, ErrorCode::kInvalidArgument);
        EXPECT_FALSE(verifier.error().message.empty());
    }
    EXPECT_THAT(SignatureVerifier::FromSecret("").error().message, HasSubstr("empty"));
    EXPECT_THAT(SignatureVerifier::FromSecret("whsec_").error().message, HasSubstr("nothing after the whsec_"));
    EXPECT_THAT(SignatureVerifier::FromSecret("whsec_%%%").error().message, HasSubstr("not valid base64"));
}

}  // namespace
