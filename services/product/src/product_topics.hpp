#pragma once

namespace orderstream::product {

inline constexpr const char* kProductEventsTopic = "product_events";
inline constexpr const char* kInteractionEventsTopic = "interaction_events";

}  // namespace orderstream::product
