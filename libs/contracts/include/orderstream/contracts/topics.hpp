#pragma once

#include <string_view>

// Every Kafka topic of the platform. docs/asyncapi.yaml describes each one's key and payloads.
namespace orderstream::contracts::topics {

inline constexpr std::string_view kProductEvents = "product_events";          // key: product id
inline constexpr std::string_view kInteractionEvents = "interaction_events";  // key: account id
inline constexpr std::string_view kOrderEvents = "order_events";              // key: order id
inline constexpr std::string_view kPaymentEvents = "payment_events";          // key: order id

}  // namespace orderstream::contracts::topics
