#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "kafka_test_client.hpp"
#include "orderstream/events/event_consumer.hpp"
#include "orderstream/events/outbox_relay.hpp"
#include "orderstream/events/topic_admin.hpp"
#include "orderstream/testing/database.hpp"
#include "test_schema.hpp"

namespace orderstream::events::testing {

// A fresh database with the events tables, the test broker and a unique topic per test.
class EventsIntegrationTest : public ::testing::Test {
public:
    static bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            if (condition()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return condition();
    }

protected:
    void SetUp() override {
        PrepareDatabase(db_.url());
        topic_ = UniqueName("events_test");
        group_ = UniqueName("group");
    }

    void MakeTopic(int partitions) {
        auto status = CreateTopic(bootstrap_, topic_, partitions);
        ASSERT_TRUE(status.ok()) << status.error().message;
    }

    OutboxRelayOptions RelayOptions() const {
        OutboxRelayOptions options;
        options.database_url = db_.url();
        options.bootstrap_servers = bootstrap_;
        options.max_backoff = std::chrono::milliseconds(1000);
        return options;
    }

    EventConsumerOptions ConsumerOptions() const {
        EventConsumerOptions options;
        options.database_url = db_.url();
        options.bootstrap_servers = bootstrap_;
        options.topics = {topic_};
        options.group_id = group_;
        options.handler = RecordingHandler();
        options.max_backoff = std::chrono::milliseconds(1000);
        options.consumer_config = {{"session.timeout.ms", "6000"}, {"heartbeat.interval.ms", "500"}};
        return options;
    }

    long long Scalar(const std::string& sql) const {
        pqxx::connection conn(db_.url());
        pqxx::nontransaction tx(conn);
        return tx.exec1(sql)[0].as<long long>();
    }

    bool WaitForEffects(long long expected, std::chrono::milliseconds timeout) const {
        return WaitFor([&] { return Scalar("SELECT count(*) FROM effects") >= expected; }, timeout);
    }

    // Every outbox event applied exactly once, under the writer's request id, and for each
    // key in the order written (seq 0, 1, 2, ... with no gap and no repeat).
    void ExpectExactlyOnceInKeyOrder(long long expected) const {
        EXPECT_EQ(Scalar("SELECT count(*) FROM outbox"), expected);
        EXPECT_EQ(Scalar("SELECT count(*) FROM effects"), expected) << "an event was applied twice or not at all";
        EXPECT_EQ(Scalar("SELECT count(DISTINCT event_id) FROM effects"), expected);
        EXPECT_EQ(Scalar("SELECT count(*) FROM outbox o LEFT JOIN effects e USING (event_id) WHERE e.event_id IS NULL"),
                  0)
            << "an event was lost";
        EXPECT_EQ(Scalar("SELECT count(*) FROM outbox WHERE sent_at IS NULL"), 0);
        EXPECT_EQ(
            Scalar("SELECT count(*) FROM effects e JOIN outbox o USING (event_id) WHERE e.request_id <> o.trace_id"), 0)
            << "the traceparent header did not restore the writer's request id";
        EXPECT_EQ(Scalar("SELECT count(*) FROM dead_letters"), 0);

        pqxx::connection conn(db_.url());
        pqxx::nontransaction tx(conn);
        std::map<std::string, int> next;
        int violations = 0;
        for (const auto& row : tx.exec("SELECT key, seq FROM effects ORDER BY handled_order")) {
            auto key = row[0].as<std::string>();
            int seq = row[1].as<int>();
            if (seq != next[key]) {
                if (violations++ < 5) {
                    ADD_FAILURE() << "key " << key << ": handled seq " << seq << ", expected " << next[key];
                }
            }
            next[key] = seq + 1;
        }
        EXPECT_EQ(violations, 0) << "per-key order violated";
    }

    orderstream::testing::TemporaryDatabase db_{"events"};
    std::string bootstrap_ = orderstream::testing::TestKafkaBootstrap();
    std::string topic_;
    std::string group_;
};

}  // namespace orderstream::events::testing
