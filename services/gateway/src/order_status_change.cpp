#include "order_status_change.hpp"

#include <charconv>

#include "orderstream/events/envelope.hpp"
#include "orderstream/graphql/value.hpp"

namespace orderstream::gateway {
namespace {

std::optional<std::uint64_t> PositiveId(const graphql::Value* value) {
    if (value == nullptr || !value->is_int() || value->as_int() <= 0) return std::nullopt;
    return static_cast<std::uint64_t>(value->as_int());
}

bool ReadString(const graphql::Value& data, const char* name, std::string& out) {
    const auto* member = data.find(name);
    if (member == nullptr || !member->is_string()) return false;
    out = member->as_string();
    return true;
}

}  // namespace

Result<std::optional<OrderStatusChange>> ParseOrderEventRecord(std::string_view key, std::string_view value) {
    auto envelope = events::ParseEnvelope(value);
    if (!envelope.ok()) return envelope.error();
    if (envelope->type != kOrderStatusChangedType) return std::optional<OrderStatusChange>();

    graphql::Value data;
    std::string error;
    if (!graphql::parse_json(envelope->data, data, error)) return Error::InvalidArgument("data: " + error);
    OrderStatusChange change;
    auto order_id = PositiveId(data.find("order_id"));
    auto account_id = PositiveId(data.find("account_id"));
    if (!order_id) return Error::InvalidArgument("data.order_id is not a positive integer");
    if (!account_id) return Error::InvalidArgument("data.account_id is not a positive integer");
    change.order_id = *order_id;
    change.account_id = *account_id;
    if (!ReadString(data, "from", change.from)) return Error::InvalidArgument("data.from is not a string");
    if (!ReadString(data, "to", change.to) || change.to.empty()) {
        return Error::InvalidArgument("data.to is not a non-empty string");
    }
    if (!ReadString(data, "at", change.at) || !events::IsRfc3339(change.at)) {
        return Error::InvalidArgument("data.at is not RFC 3339");
    }
    ReadString(data, "reason", change.reason);  // optional

    std::uint64_t keyed = 0;
    auto [end, parsed] = std::from_chars(key.data(), key.data() + key.size(), keyed);
    if (parsed != std::errc() || end != key.data() + key.size() || keyed != change.order_id) {
        return Error::InvalidArgument("the record key is not the order id " + std::to_string(change.order_id));
    }
    return std::optional<OrderStatusChange>(std::move(change));
}

}  // namespace orderstream::gateway
