#include "webhook_event.hpp"

#include <charconv>

#include <rapidjson/document.h>

namespace orderstream::payment {
namespace {

std::string StringMember(const rapidjson::Value& object, const char* name) {
    auto it = object.FindMember(name);
    if (it == object.MemberEnd() || !it->value.IsString()) return {};
    return {it->value.GetString(), it->value.GetStringLength()};
}

Result<std::optional<std::int64_t>> AmountMember(const rapidjson::Value& object, const char* name) {
    auto it = object.FindMember(name);
    if (it == object.MemberEnd() || it->value.IsNull()) return std::optional<std::int64_t>{};
    if (!it->value.IsInt64()) return Error::InvalidArgument(std::string("data.") + name + " must be an integer");
    return std::optional<std::int64_t>{it->value.GetInt64()};
}

Result<std::optional<std::uint64_t>> OrderIdFrom(const rapidjson::Value& data) {
    auto metadata = data.FindMember("metadata");
    if (metadata == data.MemberEnd() || !metadata->value.IsObject()) return std::optional<std::uint64_t>{};
    auto it = metadata->value.FindMember("order_id");
    if (it == metadata->value.MemberEnd()) return std::optional<std::uint64_t>{};
    const auto& value = it->value;
    std::uint64_t id = 0;
    if (value.IsUint64()) {
        id = value.GetUint64();
    } else if (value.IsString()) {
        std::string_view text(value.GetString(), value.GetStringLength());
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
        if (ec != std::errc() || end != text.data() + text.size()) id = 0;
    }
    if (id == 0) return Error::InvalidArgument("data.metadata.order_id must be a positive integer");
    return std::optional<std::uint64_t>{id};
}

}  // namespace

Result<WebhookEvent> ParseWebhookEvent(std::string_view body) {
    rapidjson::Document document;
    document.Parse(body.data(), body.size());
    if (document.HasParseError() || !document.IsObject()) {
        return Error::InvalidArgument("the body must be a JSON object");
    }
    WebhookEvent event;
    event.type = StringMember(document, "type");
    if (event.type.empty()) return Error::InvalidArgument("type must be a non-empty string");
    auto data = document.FindMember("data");
    if (data == document.MemberEnd() || !data->value.IsObject()) {
        return Error::InvalidArgument("data must be an object");
    }
    const auto& fields = data->value;
    event.payment_id = StringMember(fields, "payment_id");
    event.status = StringMember(fields, "status");
    event.checkout_session_id = StringMember(fields, "checkout_session_id");
    event.currency = StringMember(fields, "currency");
    event.settlement_currency = StringMember(fields, "settlement_currency");

    bool is_payment = event.type.starts_with("payment.");
    if (is_payment || event.type.starts_with("refund.")) {
        if (event.payment_id.empty()) return Error::InvalidArgument("data.payment_id must be a non-empty string");
    }
    if (is_payment) {
        auto order_id = OrderIdFrom(fields);
        if (!order_id.ok()) return order_id.error();
        event.order_id = *order_id;
        auto total = AmountMember(fields, "total_amount");
        if (!total.ok()) return total.error();
        event.total_amount = *total;
        auto settlement = AmountMember(fields, "settlement_amount");
        if (!settlement.ok()) return settlement.error();
        event.settlement_amount = *settlement;
    }
    return event;
}

std::optional<std::string> OrderStatusFor(std::string_view event_type) {
    if (event_type == "payment.succeeded") return "paid";
    if (event_type == "payment.failed" || event_type == "payment.cancelled") return "failed";
    if (event_type == "refund.succeeded") return "refunded";
    return std::nullopt;
}

std::optional<std::string> TransactionStatusFor(const WebhookEvent& event) {
    if (event.type == "payment.succeeded") return "succeeded";
    if (event.type == "payment.failed") return "failed";
    if (event.type == "payment.cancelled") return "cancelled";
    if (event.type == "payment.processing") return "processing";
    if (event.type == "refund.succeeded") return "refunded";
    return std::nullopt;
}

}  // namespace orderstream::payment
