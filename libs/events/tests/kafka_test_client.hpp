#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace orderstream::events::testing {

// Produces one message with arbitrary bytes (e.g. a poison message), waiting for delivery.
void ProduceRaw(const std::string& bootstrap, const std::string& topic, const std::string& key,
                const std::string& payload);

// Messages ever written to `topic`: the sum of its partitions' high watermarks.
std::int64_t TopicMessageCount(const std::string& bootstrap, const std::string& topic);

// A topic or group name unique to this test run.
std::string UniqueName(const std::string& prefix);

}  // namespace orderstream::events::testing
