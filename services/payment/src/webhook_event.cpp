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
    if (!it->value.IsInt64() || it->value.GetInt64() < 0) {
        return Error::InvalidArgument(std::string("data.") + name + " must be a non-negative integer");
    }
    return std::optional<std::int64_t>{it->value.GetInt64()};
}

// A positive integer id in data.metadata (the checkout sent it as text; some versions echo numbers).
Result<std::optional<std::uint64_t>> MetadataId(const rapidjson::Value& data, const char* name) {
    auto metadata = data.FindMember("metadata");
    if (metadata == data.MemberEnd() || !metadata->value.IsObject()) return std::optional<std::uint64_t>{};
    auto it = metadata->value.FindMember(name);
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
    if (id == 0 || id > static_cast<std::uint64_t>(INT64_MAX)) {
        return Error::InvalidArgument(std::string("data.metadata.") + name + " must be a positive integer");
    }
    return std::optional<std::uint64_t>{id};
}

}  // namespace

Result<WebhookEvent> ParseWebhookEvent(std::string_view body) {
    rapidjson::Document document;
    // One JSON value and nothing after it: bytes the signature covers but a parser skips could
    // mean something else to another reader.
    document.Parse<rapidjson::kParseDefaultFlags>(body.data(), body.size());
    if (document.HasParseError() || !document.IsObject()) {
        return Error::InvalidArgument("the body must be one JSON object and nothing else");
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
    event.refund_id = StringMember(fields, "refund_id");
    event.error_message = StringMember(fields, "error_message");
    for (const auto* id : {&event.payment_id, &event.checkout_session_id, &event.refund_id}) {
        if (id->size() > 200) return Error::InvalidArgument("an id of the delivery is longer than 200 bytes");
    }
    if (event.is_payment() || event.is_refund()) {
        if (event.payment_id.empty()) return Error::InvalidArgument("data.payment_id must be a non-empty string");
        auto order_id = MetadataId(fields, "order_id");
        if (!order_id.ok()) return order_id.error();
        event.order_id = *order_id;
        auto user_id = MetadataId(fields, "user_id");
        if (!user_id.ok()) return user_id.error();
        event.user_id = *user_id;
    }
    if (event.is_payment()) {
        auto total = AmountMember(fields, "total_amount");
        if (!total.ok()) return total.error();
        event.total_amount = *total;
        auto settlement = AmountMember(fields, "settlement_amount");
        if (!settlement.ok()) return settlement.error();
        event.settlement_amount = *settlement;
    }
    if (event.is_refund()) {
        if (event.refund_id.empty()) return Error::InvalidArgument("data.refund_id must be a non-empty string");
        auto amount = AmountMember(fields, "amount");
        if (!amount.ok()) return amount.error();
        event.amount = *amount;
    }
    return event;
}

}  // namespace orderstream::payment
