#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace orderstream::testing {

struct KafkaRecord {
    std::string key;
    std::string value;
    int partition = 0;
    long long offset = 0;
};

// Reads a topic from the beginning (all partitions, no consumer group) until `done` says
// enough was seen or the timeout passes; returns everything read.
std::vector<KafkaRecord> ReadTopic(const std::string& bootstrap, const std::string& topic,
                                   const std::function<bool(const std::vector<KafkaRecord>&)>& done,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Produces one record (acks=all) and waits for the broker to confirm it; throws on failure.
void ProduceRecord(const std::string& bootstrap, const std::string& topic, const std::string& key,
                   const std::string& value);

}  // namespace orderstream::testing
