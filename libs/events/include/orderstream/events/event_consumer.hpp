#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/pqxx>

#include "orderstream/core/error.hpp"
#include "orderstream/events/envelope.hpp"

namespace orderstream::events {

// Applies one event inside the consumer's transaction. Return Unavailable for a transient
// failure (retried with backoff, offset not committed); any other error is permanent: after
// max_handler_attempts the message goes to dead_letters. Throwing is allowed: lost
// connections and serialization failures count as transient, everything else as permanent.
using EventHandler = std::function<Status(pqxx::work& tx, const Envelope& event)>;

struct EventConsumerOptions {
    std::string database_url;
    std::string bootstrap_servers;
    std::string group_id;
    std::vector<std::string> topics;
    // Put before every topic name on the broker (KAFKA_TOPIC_PREFIX): lets several platforms,
    // or tests, share one Kafka cluster without reading each other's events.
    std::string topic_prefix;
    EventHandler handler;
    // Group members run by this object, each with its own thread, Kafka consumer and database
    // connection; Kafka spreads the partitions over them, so more than the topic's partition
    // count is useless. With more than one, the handler must be thread-safe.
    std::size_t threads = 1;
    // Messages applied per database transaction (fewer when fewer are waiting).
    std::size_t max_batch = 500;
    int max_handler_attempts = 3;
    std::chrono::milliseconds max_backoff{5'000};
    // Extra librdkafka consumer properties (override the defaults).
    std::map<std::string, std::string> consumer_config;
    // Fault injection for tests: runs after a batch's transaction committed and before its
    // offsets are stored and committed.
    std::function<void()> after_commit_for_test;
};

// A Kafka consumer-group member that applies each event exactly once in effect: the handler
// runs in a transaction that also records the event id in processed_events, and the offset
// is committed only after that transaction committed. A redelivered event is skipped; an
// unparsable or permanently failing one is stored in dead_letters and the consumer moves on.
class EventConsumer {
public:
    explicit EventConsumer(EventConsumerOptions options);
    ~EventConsumer();  // Stop()
    EventConsumer(const EventConsumer&) = delete;
    EventConsumer& operator=(const EventConsumer&) = delete;

    void Start();
    // Finishes the batch in flight, commits its offsets and leaves the group.
    void Stop();

    struct Stats {
        std::uint64_t handled = 0;
        std::uint64_t duplicates = 0;
        std::uint64_t dead_lettered = 0;
    };
    Stats stats() const;

private:
    class Worker;
    friend class Worker;
    EventConsumerOptions options_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::uint64_t> handled_{0};
    std::atomic<std::uint64_t> duplicates_{0};
    std::atomic<std::uint64_t> dead_lettered_{0};
    std::vector<std::unique_ptr<Worker>> workers_;
    std::vector<std::thread> threads_;
};

}  // namespace orderstream::events
