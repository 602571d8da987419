#pragma once

#include <chrono>
#include <string>

#include "orderstream/core/error.hpp"

namespace orderstream::events {

// Creates a topic through the Kafka Admin API (replication factor 1, for the single local
// broker; `partitions` <= 0: the broker's defaults for both); an existing topic is success.
// Returns once the broker reports a leader for every partition, or Unavailable when that does
// not happen within `timeout`.
Status CreateTopic(const std::string& bootstrap_servers, const std::string& topic, int partitions,
                   std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace orderstream::events
