#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "orderstream/core/error.hpp"

namespace orderstream::payment {

// Standard Webhooks (symmetric, "v1") signatures as Dodo Payments sends them: the content
// `{webhook-id}.{webhook-timestamp}.{raw body}` is signed with HMAC-SHA256 keyed by the
// base64-decoded secret, and the `webhook-signature` header carries a space-separated list of
// `v1,<base64>` entries (several during secret rotation).
class SignatureVerifier {
public:
    // Timestamps further than this from `now`, in either direction, are rejected (replay window).
    static constexpr std::chrono::seconds kTolerance{300};

    // `secret` is `whsec_<base64>` or the bare base64. Empty, `whsec_` alone, or text that is not
    // standard padded base64 is an InvalidArgument naming the problem (never the secret itself).
    static Result<SignatureVerifier> FromSecret(std::string_view secret);

    // Checks one delivery over the exact raw body bytes. Every failure is Unauthenticated, with a
    // message saying what failed: a missing header (by name), a non-integer timestamp, a stale or
    // future timestamp, or no matching v1 signature.
    Status Verify(std::string_view id, std::string_view timestamp, std::string_view signature_header,
                  std::string_view raw_body, std::chrono::system_clock::time_point now) const;

    // The `webhook-signature` value for a delivery: "v1,<base64>". The sandbox and tests use it to
    // produce deliveries that are indistinguishable from Dodo's.
    std::string Sign(std::string_view id, std::int64_t timestamp_seconds, std::string_view body) const;

private:
    explicit SignatureVerifier(std::string key) : key_(std::move(key)) {}

    // Base64 of HMAC-SHA256(key, "{id}.{timestamp}.{body}").
    std::string Digest(std::string_view id, std::string_view timestamp, std::string_view body) const;

    std::string key_;  // decoded secret bytes
};

}  // namespace orderstream::payment
