#include "orderstream/contracts/order_events.hpp"

#include "json_fields.hpp"

namespace orderstream::contracts {
namespace {

constexpr std::size_t kMaxLines = 100;

bool IsOrderStatus(std::string_view status) {
    return status == "pending" || status == "paid" || status == "failed" || status == "cancelled" ||
           status == "refunded";
}

std::string Status(detail::FieldReader& in, const char* name) {
    auto status = in.String(name, 16);
    if (in.ok() && !IsOrderStatus(status)) {
        in.Fail(in.prefix() + name + " must be pending, paid, failed, cancelled or refunded");
    }
    return status;
}

}  // namespace

std::string OrderCreated::ToJson() const {
    detail::FieldWriter out;
    out.Id("order_id", order_id)
        .Id("account_id", account_id)
        .String("status", "pending")
        .Integer("total_cents", total_cents)
        .String("currency", currency);
    auto& raw = out.raw();
    raw.Key("lines");
    raw.StartArray();
    for (const auto& line : lines) {
        raw.StartObject();
        raw.Key("product_id");
        raw.String(line.product_id.c_str(), static_cast<rapidjson::SizeType>(line.product_id.size()));
        raw.Key("name");
        raw.String(line.name.c_str(), static_cast<rapidjson::SizeType>(line.name.size()));
        raw.Key("unit_price_cents");
        raw.Int64(line.unit_price_cents);
        raw.Key("quantity");
        raw.Uint(line.quantity);
        raw.EndObject();
    }
    raw.EndArray();
    out.String("created_at", created_at);
    return out.Finish();
}

Result<OrderCreated> OrderCreated::Parse(std::string_view type, std::string_view data_json) {
    detail::FieldReader in(type, data_json);
    OrderCreated event;
    event.order_id = in.Id("order_id");
    event.account_id = in.Id("account_id");
    event.total_cents = in.Amount("total_cents");
    event.currency = in.Currency("currency");
    event.created_at = in.Timestamp("created_at");
    if (const auto* lines = in.Array("lines", kMaxLines)) {
        for (rapidjson::SizeType i = 0; i < lines->Size() && in.ok(); ++i) {
            detail::FieldReader line(type, (*lines)[i], "data.lines[" + std::to_string(i) + "].");
            OrderLine parsed;
            parsed.product_id = line.String("product_id", 200);
            parsed.name = line.OptionalString("name");
            parsed.unit_price_cents = line.Amount("unit_price_cents");
            auto quantity = line.OptionalInteger("quantity").value_or(0);
            if (quantity < 1 || quantity > 1000) line.Fail(line.prefix() + "quantity must be between 1 and 1000");
            parsed.quantity = static_cast<std::uint32_t>(quantity);
            if (!line.ok()) return line.error();
            event.lines.push_back(std::move(parsed));
        }
    }
    if (!in.ok()) return in.error();
    return event;
}

std::string OrderStatusChanged::ToJson() const {
    detail::FieldWriter out;
    out.Id("order_id", order_id)
        .Id("account_id", account_id)
        .String("from", from)
        .String("to", to)
        .String("reason", reason)
        .String("at", at);
    if (!payment_id.empty()) out.String("payment_id", payment_id);
    return out.Finish();
}

Result<OrderStatusChanged> OrderStatusChanged::Parse(std::string_view type, std::string_view data_json) {
    detail::FieldReader in(type, data_json);
    OrderStatusChanged event;
    event.order_id = in.Id("order_id");
    event.account_id = in.Id("account_id");
    event.from = Status(in, "from");
    event.to = Status(in, "to");
    event.reason = in.OptionalString("reason", "", 1000);
    event.at = in.Timestamp("at");
    event.payment_id = in.OptionalString("payment_id", "", 200);
    if (!in.ok()) return in.error();
    return event;
}

std::string OrderPaymentRefused::ToJson() const {
    detail::FieldWriter out;
    out.Id("order_id", order_id)
        .Id("account_id", account_id)
        .String("payment_id", payment_id)
        .String("order_status", order_status)
        .String("reason", reason)
        .String("at", at);
    return out.Finish();
}

Result<OrderPaymentRefused> OrderPaymentRefused::Parse(std::string_view type, std::string_view data_json) {
    detail::FieldReader in(type, data_json);
    OrderPaymentRefused event;
    event.order_id = in.Id("order_id");
    event.account_id = in.Id("account_id");
    event.payment_id = in.String("payment_id", 200);
    // Empty when the payment named an order that does not exist.
    event.order_status = in.OptionalString("order_status", "", 16);
    if (in.ok() && !event.order_status.empty() && !IsOrderStatus(event.order_status)) {
        in.Fail("data.order_status must be pending, paid, failed, cancelled or refunded");
    }
    event.reason = in.OptionalString("reason", "", 1000);
    event.at = in.Timestamp("at");
    if (!in.ok()) return in.error();
    return event;
}

}  // namespace orderstream::contracts
