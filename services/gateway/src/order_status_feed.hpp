#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "order_status_change.hpp"

namespace RdKafka {
class KafkaConsumer;
}

namespace orderstream::gateway {

struct OrderStatusFeedOptions {
    std::string bootstrap_servers = "127.0.0.1:9092";
    std::string topic = std::string(contracts::topics::kOrderEvents);  // with KAFKA_TOPIC_PREFIX before it
    // Start() waits this long for the broker's first answer, then the reader keeps trying on its own.
    std::chrono::milliseconds initial_wait{2000};
    std::map<std::string, std::string> kafka_overrides;  // librdkafka properties, e.g. for tests
};

// Reads `order_events` on its own, so that every gateway instance sees every change and any instance can
// serve any subscriber. Partitions are assigned by hand instead of joining a consumer group: instances
// coming and going rebalance nothing, there are no offsets to commit or leave behind, and a restarted
// instance reads from the moment it started within milliseconds (a fresh group per instance would wait
// for its join and leave a dead group on the broker every restart). Each partition, also one created
// later, is read from the first record produced at or after the instance started.
class OrderStatusFeed {
public:
    OrderStatusFeed(OrderStatusFeedOptions options, std::function<void(const OrderStatusChange&)> publish);
    ~OrderStatusFeed();
    OrderStatusFeed(const OrderStatusFeed&) = delete;
    OrderStatusFeed& operator=(const OrderStatusFeed&) = delete;

    // Starts the reader thread and waits (up to initial_wait) until the topic's partitions are assigned,
    // or the broker said the topic does not exist yet.
    // Throws std::invalid_argument for a librdkafka setting it rejects.
    void Start();
    void Stop();
    bool assigned() const { return assigned_.load(); }

private:
    void Run();
    void Assign();
    void Handle(const std::string& key, const std::string& value, long long timestamp_ms);

    OrderStatusFeedOptions options_;
    std::function<void(const OrderStatusChange&)> publish_;
    std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
    std::unique_ptr<class OrderFeedEventLogger> logger_;
    const long long started_ms_;
    std::set<int> partitions_;  // reader thread only
    std::chrono::steady_clock::time_point next_metadata_{};
    std::atomic<bool> stopping_{false};
    std::atomic<bool> assigned_{false};
    std::atomic<bool> answered_{false};  // the broker answered a metadata request
    std::mutex mutex_;
    std::condition_variable assigned_changed_;
    std::thread thread_;
    long long last_warning_ms_ = 0;
};

}  // namespace orderstream::gateway
