#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

namespace orderstream::events {

struct OutboxRelayOptions {
    std::string database_url;
    std::string bootstrap_servers;
    // Put before the outbox row's topic on the broker (see EventConsumerOptions::topic_prefix).
    std::string topic_prefix;
    std::size_t batch_size = 1000;
    // Fallback poll when no NOTIFY arrives (e.g. rows inserted while the relay was down).
    std::chrono::milliseconds poll_interval{500};
    // librdkafka message.timeout.ms: how long one publish attempt may wait for the broker.
    std::chrono::milliseconds delivery_timeout{30'000};
    // Upper bound of the retry backoff after a failed batch or a lost database.
    std::chrono::milliseconds max_backoff{5'000};
    // How long Stop() may take in all: the batch in flight, the rows already pending and the
    // final flush share this one deadline.
    std::chrono::milliseconds stop_timeout{5'000};
    // librdkafka's enable.gapless.guarantee: keeps per-key order when a delivery fails for
    // good (only the benchmark turns it off, to measure what it costs).
    bool gapless = true;
    // Sent rows older than this are deleted by the publishing relay (checked once a minute,
    // or once per retention when shorter);
    // zero keeps them forever.
    std::chrono::seconds sent_retention{std::chrono::hours(24)};
    // Extra librdkafka producer properties (override the defaults).
    std::map<std::string, std::string> producer_config;
    // Fault injection for tests: runs after every delivery report of a batch arrived and
    // before the batch is marked sent.
    std::function<void()> after_delivery_for_test;
};

// Publishes pending outbox rows to Kafka on a background thread, in id order, with an
// idempotent producer (acks=all), and marks rows sent only after their delivery report
// succeeded. A broker outage only delays: rows stay pending and are retried with backoff.
// Several relays may share one database: a transaction-scoped advisory lock lets one
// publish at a time (which keeps per-key order), the others stand by.
class OutboxRelay {
public:
    explicit OutboxRelay(OutboxRelayOptions options);
    ~OutboxRelay();  // Stop()
    OutboxRelay(const OutboxRelay&) = delete;
    OutboxRelay& operator=(const OutboxRelay&) = delete;

    void Start();
    // Publishes what is already pending, for at most about stop_timeout (a batch waits at most
    // stop_timeout for its delivery reports), then returns. Rows not confirmed stay pending
    // for the next run.
    void Stop();

    // Rows this instance marked sent.
    std::uint64_t published() const { return published_.load(std::memory_order_relaxed); }

private:
    class Worker;
    OutboxRelayOptions options_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::uint64_t> published_{0};
    std::unique_ptr<Worker> worker_;
    std::thread thread_;
};

// A started relay for a service's database, publishing to KAFKA_BOOTSTRAP_SERVERS
// (default the local broker, 127.0.0.1:9092) with KAFKA_TOPIC_PREFIX before each topic.
std::unique_ptr<OutboxRelay> StartRelay(const std::string& database_url);

}  // namespace orderstream::events
