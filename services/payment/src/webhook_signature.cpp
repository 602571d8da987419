#include "webhook_signature.hpp"

#include <charconv>
#include <limits>
#include <mutex>
#include <stdexcept>

#include <sodium.h>

namespace orderstream::payment {
namespace {

constexpr std::string_view kSecretPrefix = "whsec_";
constexpr std::string_view kVersion = "v1";

void InitSodium() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    });
}

std::string EncodeBase64(const unsigned char* data, std::size_t size) {
    std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the encoder writes a terminating NUL
    return out;
}

}  // namespace

Result<SignatureVerifier> SignatureVerifier::FromSecret(std::string_view secret) {
    InitSodium();
    if (secret.empty()) return Error::InvalidArgument("webhook secret is empty");
    std::string_view encoded = secret;
    if (encoded.substr(0, kSecretPrefix.size()) == kSecretPrefix) encoded.remove_prefix(kSecretPrefix.size());
    if (encoded.empty()) return Error::InvalidArgument("webhook secret has nothing after the whsec_ prefix");

    std::string key(encoded.size(), '\0');  // decoded text is always shorter than its base64
    std::size_t key_size = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), encoded.data(), encoded.size(),
                          nullptr, &key_size, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != encoded.data() + encoded.size()) {
        return Error::InvalidArgument("webhook secret is not valid base64 (expected whsec_ followed by base64)");
    }
    if (key_size == 0) return Error::InvalidArgument("webhook secret decodes to an empty key");
    key.resize(key_size);
    return SignatureVerifier(std::move(key));
}

std::string SignatureVerifier::Digest(std::string_view id, std::string_view timestamp, std::string_view body) const {
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
    auto update = [&state](std::string_view part) {
        crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(part.data()), part.size());
    };
    update(id);
    update(".");
    update(timestamp);
    update(".");
    update(body);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&state, mac);
    return EncodeBase64(mac, sizeof mac);
}

std::string SignatureVerifier::Sign(std::string_view id, std::int64_t timestamp_seconds, std::string_view body) const {
    return std::string(kVersion) + "," + Digest(id, std::to_string(timestamp_seconds), body);
}

Status SignatureVerifier::Verify(std::string_view id, std::string_view timestamp, std::string_view signature_header,
                                 std::string_view raw_body, std::chrono::system_clock::time_point now) const {
    using std::chrono::seconds;
    if (id.empty()) return Error::Unauthenticated("missing webhook-id header");
    if (timestamp.empty()) return Error::Unauthenticated("missing webhook-timestamp header");
    if (signature_header.empty()) return Error::Unauthenticated("missing webhook-signature header");

    std::int64_t ts = 0;
    auto [ptr, ec] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), ts);
    if (ec != std::errc() || ptr != timestamp.data() + timestamp.size()) {
        return Error::Unauthenticated("webhook-timestamp is not an integer number of seconds");
    }
    // Coarse check in whole seconds first, so absurd values cannot overflow the clock's duration.
    const std::int64_t now_s = std::chrono::floor<seconds>(now.time_since_epoch()).count();
    const std::int64_t tolerance = kTolerance.count();
    bool stale = ts < now_s - tolerance - 1;
    bool future = ts > now_s + tolerance + 1;
    if (!stale && !future) {
        const auto sent = std::chrono::system_clock::time_point(seconds(ts));
        stale = now - sent > kTolerance;
        future = sent - now > kTolerance;
    }
    if (stale) return Error::Unauthenticated("webhook-timestamp is more than 300 s in the past (stale delivery)");
    if (future) return Error::Unauthenticated("webhook-timestamp is more than 300 s in the future");

    const std::string expected = Digest(id, timestamp, raw_body);
    bool matched = false;
    std::string_view rest = signature_header;
    while (!rest.empty()) {
        const auto space = rest.find(' ');
        const std::string_view entry = rest.substr(0, space);
        rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
        const auto comma = entry.find(',');
        if (comma == std::string_view::npos || entry.substr(0, comma) != kVersion) continue;
        const std::string_view candidate = entry.substr(comma + 1);
        // Lengths are public (every v1 signature is 44 characters); only the content is compared in constant time.
        if (candidate.size() != expected.size()) continue;
        if (sodium_memcmp(candidate.data(), expected.data(), expected.size()) == 0) matched = true;
    }
    if (!matched) return Error::Unauthenticated("no v1 signature in webhook-signature matches the payload");
    return Status::Ok();
}

}  // namespace orderstream::payment
