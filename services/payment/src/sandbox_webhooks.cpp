#include "sandbox_webhooks.hpp"

#include <chrono>
#include <thread>

#include <curl/curl.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>

#include "orderstream/core/metrics.hpp"
#include "orderstream/core/time_format.hpp"
#include "sandbox_provider.hpp"

namespace orderstream::payment {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

std::size_t IgnoreBody(char*, std::size_t size, std::size_t count, void*) { return size * count; }

// One POST of a delivery; OK only for a 2xx answer.
Status PostDelivery(http::CurlHandlePool& handles, const std::string& url, const std::string& id,
                    std::int64_t timestamp, const std::string& signature, const std::string& body) {
    CURL* curl = handles.Acquire();
    if (curl == nullptr) return Error::Unavailable("curl_easy_init failed");
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, ("webhook-id: " + id).c_str());
    headers = curl_slist_append(headers, ("webhook-timestamp: " + std::to_string(timestamp)).c_str());
    headers = curl_slist_append(headers, ("webhook-signature: " + signature).c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10'000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, IgnoreBody);
    auto code = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    handles.Release(curl, code == CURLE_OK);
    if (code != CURLE_OK) return Error::Unavailable(std::string("webhook delivery failed: ") + curl_easy_strerror(code));
    if (status < 200 || status >= 300) {
        return Error::Unavailable("webhook endpoint answered " + std::to_string(status));
    }
    return Status::Ok();
}

void String(JsonWriter& writer, const char* key, const std::string& value) {
    writer.Key(key);
    writer.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

metrics::Counter& Delivered(const char* outcome) {
    return metrics::Registry::Global().GetCounter("orderstream_payment_sandbox_webhooks_total",
                                                  "Sandbox webhook delivery attempts, by outcome",
                                                  {{"outcome", outcome}});
}

void Envelope(JsonWriter& writer, const char* type, const std::string& now) {
    String(writer, "business_id", "bus_sandbox");
    String(writer, "type", type);
    String(writer, "timestamp", now);
}

}  // namespace

SandboxWebhooks::SandboxWebhooks(pg::Pool& pool, SignatureVerifier signer, std::string webhook_url,
                                 SandboxWebhookOptions options)
    : pool_(pool), signer_(std::move(signer)), webhook_url_(std::move(webhook_url)), options_(options),
      loop_("sandbox webhooks", options.poll_interval, [this] { RunOnce(); }) {}

SandboxWebhooks::~SandboxWebhooks() { Stop(); }

std::string SandboxWebhooks::Queue(pqxx::work& tx, const std::string& body, std::chrono::milliseconds hold) {
    auto webhook_id = SandboxId("msg_");
    tx.exec_params0("INSERT INTO sandbox_deliveries (id, body, next_attempt_at) "
                    "VALUES ($1, $2, now() + $3 * interval '1 millisecond')",
                    webhook_id, body, static_cast<std::int64_t>(hold.count()));
    return webhook_id;
}

Status SandboxWebhooks::Post(const std::string& webhook_id, const std::string& body) {
    auto timestamp =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    auto delivered = PostDelivery(connections_, webhook_url_, webhook_id, timestamp,
                                  signer_.Sign(webhook_id, timestamp, body), body);
    Delivered(delivered.ok() ? "delivered" : "failed").Increment();
    return delivered;
}

void SandboxWebhooks::MarkDelivered(const std::string& webhook_id) {
    pool_.Transact([&](pqxx::work& tx) {
        tx.exec_params0("UPDATE sandbox_deliveries SET delivered_at = now(), last_error = NULL "
                        "WHERE id = $1 AND delivered_at IS NULL",
                        webhook_id);
    });
}

Status SandboxWebhooks::DeliverNow(const std::string& webhook_id, const std::string& body) {
    Status delivered;
    for (int attempt = 0; attempt < 3; ++attempt) {
        delivered = Post(webhook_id, body);
        if (delivered.ok()) break;
        spdlog::warn("sandbox webhook {} attempt {}: {}", webhook_id, attempt + 1, delivered.error().message);
        std::this_thread::sleep_for(std::chrono::milliseconds(300) * (attempt + 1));
    }
    if (delivered.ok()) MarkDelivered(webhook_id);
    return delivered;
}

std::size_t SandboxWebhooks::RunOnce() {
    struct Due {
        std::string id, body;
        int attempts = 0;
    };
    auto due = pool_.Transact([&](pqxx::work& tx) {
        std::vector<Due> claimed;
        for (const auto& row : tx.exec_params(
                 "UPDATE sandbox_deliveries SET attempts = attempts + 1, "
                 "next_attempt_at = now() + $1 * interval '1 millisecond' WHERE id IN (SELECT id FROM "
                 "sandbox_deliveries WHERE delivered_at IS NULL AND next_attempt_at <= now() ORDER BY next_attempt_at "
                 "LIMIT 20 FOR UPDATE SKIP LOCKED) RETURNING id, body, attempts",
                 static_cast<std::int64_t>(options_.lease.count()))) {
            claimed.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<int>()});
        }
        return claimed;
    });
    std::size_t delivered = 0;
    for (const auto& delivery : due) {
        auto posted = Post(delivery.id, delivery.body);
        if (posted.ok()) {
            MarkDelivered(delivery.id);
            ++delivered;
            spdlog::info("sandbox webhook {} delivered on attempt {}", delivery.id, delivery.attempts);
            continue;
        }
        auto delay = std::min<std::chrono::milliseconds>(
            std::chrono::milliseconds(1000) * (1LL << std::min(delivery.attempts, 10)), options_.max_backoff);
        spdlog::warn("sandbox webhook {} not delivered (attempt {}), next in {} ms: {}", delivery.id,
                     delivery.attempts, delay.count(), posted.error().message);
        pool_.Transact([&](pqxx::work& tx) {
            tx.exec_params0("UPDATE sandbox_deliveries SET last_error = $2, "
                            "next_attempt_at = now() + $3 * interval '1 millisecond' "
                            "WHERE id = $1 AND delivered_at IS NULL",
                            delivery.id, posted.error().message, static_cast<std::int64_t>(delay.count()));
        });
    }
    return delivered;
}

std::string PaymentEventBody(const SandboxPayment& payment) {
    auto now = time_format::Rfc3339Utc(std::chrono::system_clock::now(), 0);
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    writer.StartObject();
    Envelope(writer, payment.paid ? "payment.succeeded" : "payment.failed", now);
    writer.Key("data");
    writer.StartObject();
    String(writer, "payload_type", "Payment");
    String(writer, "payment_id", payment.payment_id);
    String(writer, "business_id", "bus_sandbox");
    String(writer, "brand_id", "bus_sandbox");
    String(writer, "created_at", now);
    String(writer, "status", payment.paid ? "succeeded" : "failed");
    String(writer, "currency", payment.currency);
    writer.Key("total_amount");
    writer.Int64(payment.amount_cents);
    writer.Key("settlement_amount");
    writer.Int64(payment.amount_cents);
    String(writer, "settlement_currency", payment.currency);
    String(writer, "checkout_session_id", payment.session_id);
    writer.Key("customer");
    writer.StartObject();
    String(writer, "customer_id", payment.customer_id);
    String(writer, "email", payment.email);
    String(writer, "name", payment.name);
    writer.EndObject();
    writer.Key("metadata");
    writer.RawValue(payment.metadata_json.c_str(), payment.metadata_json.size(), rapidjson::kObjectType);
    writer.Key("billing");
    writer.StartObject();
    String(writer, "country", "US");
    writer.EndObject();
    String(writer, "payment_method", "card");
    String(writer, "card_last_four", payment.paid ? "4242" : "0002");
    if (!payment.paid) {
        String(writer, "error_code", "CARD_DECLINED");
        String(writer, "error_message", "The sandbox card was declined");
    }
    writer.Key("disputes");
    writer.StartArray();
    writer.EndArray();
    writer.Key("refunds");
    writer.StartArray();
    writer.EndArray();
    writer.Key("digital_products_delivered");
    writer.Bool(false);
    writer.EndObject();
    writer.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

std::string RefundEventBody(const std::string& refund_id, const std::string& payment_id, std::int64_t amount_cents,
                            const std::string& currency, const std::string& metadata_json, bool partial) {
    auto now = time_format::Rfc3339Utc(std::chrono::system_clock::now(), 0);
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    writer.StartObject();
    Envelope(writer, "refund.succeeded", now);
    writer.Key("data");
    writer.StartObject();
    String(writer, "payload_type", "Refund");
    String(writer, "refund_id", refund_id);
    String(writer, "payment_id", payment_id);
    String(writer, "business_id", "bus_sandbox");
    String(writer, "brand_id", "bus_sandbox");
    String(writer, "created_at", now);
    String(writer, "status", "succeeded");
    writer.Key("amount");
    writer.Int64(amount_cents);
    String(writer, "currency", currency);
    writer.Key("is_partial");
    writer.Bool(partial);
    writer.Key("metadata");
    writer.RawValue(metadata_json.c_str(), metadata_json.size(), rapidjson::kObjectType);
    writer.EndObject();
    writer.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace orderstream::payment
