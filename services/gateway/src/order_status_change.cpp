#include "order_status_change.hpp"

#include <charconv>
#include <string>

#include "orderstream/contracts/event.hpp"
#include "orderstream/events/envelope.hpp"

namespace orderstream::gateway {

Result<std::optional<OrderStatusChange>> ParseOrderEventRecord(std::string_view key, std::string_view value) {
    auto envelope = events::ParseEnvelope(value);
    if (!envelope.ok()) return envelope.error();
    auto change = contracts::Read<OrderStatusChange>(*envelope);
    if (!change.ok() || !change->has_value()) return change;
    std::uint64_t keyed = 0;
    auto [end, parsed] = std::from_chars(key.data(), key.data() + key.size(), keyed);
    if (parsed != std::errc() || end != key.data() + key.size() || keyed != (*change)->order_id) {
        return Error::InvalidArgument("the record key is not the order id " + std::to_string((*change)->order_id));
    }
    return change;
}

}  // namespace orderstream::gateway
