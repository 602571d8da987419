#include "webhook_receiver.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>

#include "orderstream/core/error.hpp"
#include "orderstream/core/log.hpp"
#include "orderstream/core/metrics.hpp"

namespace orderstream::payment {
namespace {

constexpr std::size_t kMaxWebhookIdBytes = 200;

http::Response JsonAnswer(int status, const char* key, const std::string& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    writer.Key(key);
    writer.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
    writer.EndObject();
    return http::Response::Json(status, std::string(buffer.GetString(), buffer.GetSize()));
}

metrics::Counter& Deliveries(const char* outcome) {
    return metrics::Registry::Global().GetCounter("orderstream_payment_webhooks_total",
                                                  "Webhook deliveries received, by outcome", {{"outcome", outcome}});
}

}  // namespace

WebhookReceiver::WebhookReceiver(DeliveryRecorder& recorder, SignatureVerifier verifier,
                                 std::function<void()> refund_requested)
    : recorder_(recorder), verifier_(std::move(verifier)), refund_requested_(std::move(refund_requested)) {}

http::Response WebhookReceiver::Receive(const http::Request& request) {
    static auto& rejected = Deliveries("unauthenticated");
    static auto& malformed = Deliveries("malformed");
    static auto& duplicate = Deliveries("duplicate");
    static auto& applied = Deliveries("applied");
    static auto& ignored = Deliveries("ignored");
    static auto& anomaly = Deliveries("anomaly");
    static auto& failed = Deliveries("not_stored");

    std::string id(request.Header("webhook-id"));
    auto verified = verifier_.Verify(id, request.Header("webhook-timestamp"), request.Header("webhook-signature"),
                                     request.body, std::chrono::system_clock::now());
    if (!verified.ok()) {
        rejected.Increment();
        spdlog::warn("webhook rejected: {}", verified.error().message);
        return JsonAnswer(401, "error", verified.error().message);
    }
    if (id.size() > kMaxWebhookIdBytes) {
        malformed.Increment();
        return JsonAnswer(400, "error", "webhook-id must be at most 200 bytes");
    }
    auto event = ParseWebhookEvent(request.body);
    if (!event.ok()) {
        malformed.Increment();
        spdlog::warn("webhook {} unreadable: {}", id, event.error().message);
        return JsonAnswer(400, "error", event.error().message);
    }
    DeliveryResult result;
    try {
        result = recorder_.Record(id, *event, request.body);
    } catch (const std::exception& e) {
        failed.Increment();
        spdlog::error("webhook {} ({}) not stored: {}", id, event->type, e.what());
        return JsonAnswer(503, "error", "the delivery could not be stored; retry later");
    }
    std::optional<log::RequestScope> trace;
    if (!result.trace_id.empty()) trace.emplace(result.trace_id);
    switch (result.outcome) {
        case DeliveryOutcome::kDuplicate:
            duplicate.Increment();
            return JsonAnswer(200, "status", "duplicate");
        case DeliveryOutcome::kIgnored:
            ignored.Increment();
            spdlog::info("webhook {} ({}) stored, not acted on: {}", id, event->type, result.detail);
            return JsonAnswer(200, "status", "ignored");
        case DeliveryOutcome::kApplied:
            applied.Increment();
            spdlog::info("webhook {} ({}) applied to payment {}: {}", id, event->type, event->payment_id, result.detail);
            return JsonAnswer(200, "status", "applied");
        case DeliveryOutcome::kAnomaly:
            // Acknowledged: the provider would only send it again. It is recorded for admins,
            // and money it took is being given back.
            anomaly.Increment();
            if (result.refund_requested && refund_requested_) refund_requested_();
            return JsonAnswer(200, "status", "anomaly");
    }
    return JsonAnswer(200, "status", "ignored");
}

}  // namespace orderstream::payment
