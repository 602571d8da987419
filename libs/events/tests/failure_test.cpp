// Crashes, outages and poison messages against the real PostgreSQL and Kafka.
#include <atomic>
#include <cstdlib>
#include <thread>

#include "integration_fixture.hpp"
#include "orderstream/events/envelope.hpp"
#include "orderstream/testing/process.hpp"

namespace orderstream::events::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

bool WaitForExit(orderstream::testing::ChildProcess& child, std::chrono::milliseconds timeout) {
    return EventsIntegrationTest::WaitFor([&] { return !child.Running(); }, timeout);
}

TEST_F(EventsIntegrationTest, RelayKilledBetweenPublishAndMarkSentRepublishesAndEffectStaysExactlyOnce) {
    MakeTopic(2);
    AppendEvents(db_.url(), topic_, 300, 4, 50);

    orderstream::testing::ChildProcess child({EVENTS_TEST_WORKER_PATH, "relay", db_.url(), bootstrap_}, {});
    ASSERT_TRUE(WaitForExit(child, seconds(30))) << child.Output();
    ASSERT_NE(child.Output().find("killing myself after delivery"), std::string::npos) << child.Output();

    auto published_before_crash = TopicMessageCount(bootstrap_, topic_);
    EXPECT_GT(published_before_crash, 0) << "the killed relay published nothing: the test proves nothing";
    EXPECT_EQ(Scalar("SELECT count(*) FROM outbox WHERE sent_at IS NULL"), 300) << "rows marked sent before the kill";

    OutboxRelay relay(RelayOptions());
    EventConsumer consumer(ConsumerOptions());
    relay.Start();
    consumer.Start();
    ASSERT_TRUE(WaitForEffects(300, seconds(30)));
    auto republished = static_cast<std::uint64_t>(published_before_crash);
    ASSERT_TRUE(WaitFor([&] { return consumer.stats().duplicates >= republished; }, seconds(10)));
    relay.Stop();
    consumer.Stop();

    ExpectExactlyOnceInKeyOrder(300);
    EXPECT_EQ(TopicMessageCount(bootstrap_, topic_), 300 + published_before_crash)
        << "the pending rows were republished";
    EXPECT_EQ(consumer.stats().handled, 300u);
    EXPECT_EQ(consumer.stats().duplicates, static_cast<std::uint64_t>(published_before_crash))
        << "each republished event was recognised as a duplicate";
}

TEST_F(EventsIntegrationTest, ConsumerKilledAfterHandlerCommitBeforeOffsetCommitHasNoSecondEffect) {
    MakeTopic(2);
    AppendEvents(db_.url(), topic_, 300, 4, 50);
    {
        OutboxRelay relay(RelayOptions());
        relay.Start();
        ASSERT_TRUE(WaitFor([&] { return Scalar("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0; },
                            seconds(30)));
    }

    orderstream::testing::ChildProcess child(
        {EVENTS_TEST_WORKER_PATH, "consume", db_.url(), bootstrap_, topic_, group_}, {});
    ASSERT_TRUE(WaitForExit(child, seconds(30))) << child.Output();
    ASSERT_NE(child.Output().find("killing myself after the handler commit"), std::string::npos) << child.Output();
    auto applied_by_child = Scalar("SELECT count(*) FROM effects");
    ASSERT_GT(applied_by_child, 0);

    // Same static member id: the coordinator hands the dead member's partitions over at once.
    auto options = ConsumerOptions();
    options.consumer_config["group.instance.id"] = "crash-test-member";
    EventConsumer consumer(options);
    consumer.Start();
    ASSERT_TRUE(WaitForEffects(300, seconds(40)));
    std::this_thread::sleep_for(milliseconds(300));
    consumer.Stop();

    ExpectExactlyOnceInKeyOrder(300);
    EXPECT_EQ(consumer.stats().duplicates, static_cast<std::uint64_t>(applied_by_child))
        << "the batch whose offsets were never committed must be redelivered and skipped";
    EXPECT_EQ(consumer.stats().handled, static_cast<std::uint64_t>(300 - applied_by_child));
}

TEST_F(EventsIntegrationTest, PoisonMessagesGoToDeadLettersAndLaterMessagesAreStillHandled) {
    MakeTopic(1);
    EventConsumer consumer(ConsumerOptions());
    consumer.Start();

    auto event = [](const std::string& type, int seq) {
        return Serialize(Envelope::Make(type, R"({"key":"k0","seq":)" + std::to_string(seq) + "}"));
    };
    const std::string garbage("\xff\x00 definitely not json", 22);
    ProduceRaw(bootstrap_, topic_, "k0", event("noted", 0));
    ProduceRaw(bootstrap_, topic_, "k0", garbage);
    ProduceRaw(bootstrap_, topic_, "k0", event("poison", 100));
    ProduceRaw(bootstrap_, topic_, "k0", event("throws", 101));
    ProduceRaw(bootstrap_, topic_, "k0", event("hides_error", 102));
    ProduceRaw(bootstrap_, topic_, "k0", event("flaky", 1));  // Unavailable twice: retried, not dead-lettered
    ProduceRaw(bootstrap_, topic_, "k0", event("noted", 2));

    ASSERT_TRUE(WaitFor([&] { return Scalar("SELECT count(*) FROM effects") == 3 &&
                                     Scalar("SELECT count(*) FROM dead_letters") == 4; },
                        seconds(30)))
        << Scalar("SELECT count(*) FROM effects") << " effects, " << Scalar("SELECT count(*) FROM dead_letters")
        << " dead letters";
    consumer.Stop();

    EXPECT_EQ(Scalar("SELECT count(*) FROM dead_letters"
                     " WHERE error LIKE '%not JSON%' AND \"offset\" = 1 AND event_id IS NULL"),
              1);
    EXPECT_EQ(Scalar("SELECT count(*) FROM dead_letters WHERE error LIKE '%poison event rejected%' AND \"offset\" = 2"),
              1);
    EXPECT_EQ(Scalar("SELECT count(*) FROM dead_letters WHERE error LIKE '%handler exploded%' AND \"offset\" = 3"), 1);
    EXPECT_EQ(Scalar("SELECT count(*) FROM dead_letters WHERE error LIKE '%commit failed%' AND \"offset\" = 4"), 1)
        << "a handler that hid an SQL error must not have its batch silently rolled back";
    EXPECT_EQ(Scalar("SELECT count(*) FROM dead_letters WHERE key = 'k0'::bytea"), 4);
    {
        pqxx::connection conn(db_.url());
        pqxx::nontransaction tx(conn);
        pqxx::binarystring payload(tx.exec1("SELECT payload FROM dead_letters WHERE \"offset\" = 1")[0]);
        EXPECT_EQ(payload.str(), garbage) << "the raw bytes are kept";
    }
    EXPECT_EQ(Scalar("SELECT count(*) FROM processed_events"), 3) << "dead-lettered events are not marked processed";
    EXPECT_EQ(Scalar("SELECT (string_agg(seq::text, ',' ORDER BY handled_order) = '0,1,2')::int FROM effects"), 1)
        << "k0 handled out of order";
    EXPECT_EQ(consumer.stats().handled, 3u);
    EXPECT_EQ(consumer.stats().dead_lettered, 4u);

    // The offsets moved past every message: a new member of the group gets nothing again.
    EventConsumer again(ConsumerOptions());
    again.Start();
    std::this_thread::sleep_for(seconds(3));
    again.Stop();
    EXPECT_EQ(again.stats().handled + again.stats().duplicates + again.stats().dead_lettered, 0u);
    EXPECT_EQ(Scalar("SELECT count(*) FROM dead_letters"), 4);
}

// scripts/with-infra.sh exports ORDERSTREAM_SCRIPTS_DIR and the ports its kafka.sh must use.
TEST_F(EventsIntegrationTest, DatabaseConnectionsKilledMidStreamLoseAndDoubleNothing) {
    MakeTopic(2);
    OutboxRelay relay(RelayOptions());
    EventConsumer consumer(ConsumerOptions());
    relay.Start();
    consumer.Start();

    constexpr int kRounds = 50;
    auto writer_url = db_.url() + (db_.url().find('?') == std::string::npos ? "?" : "&") +
                      "application_name=events_test_writer";
    std::atomic<bool> writing{true};
    std::thread writer([&] {
        for (int round = 0; round < kRounds; ++round) {
            AppendEvents(writer_url, topic_, 40, 4, 40, round * 10);
            std::this_thread::sleep_for(milliseconds(30));
        }
        writing = false;
    });
    // Every session of the relay and the consumer, again and again while events flow.
    int killed = 0;
    while (writing.load()) {
        std::this_thread::sleep_for(milliseconds(300));
        pqxx::connection conn(db_.url());
        pqxx::nontransaction tx(conn);
        killed += static_cast<int>(
            tx.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    " AND backend_type = 'client backend' AND application_name <> 'events_test_writer'")
                .size());
    }
    writer.join();
    EXPECT_GE(killed, 4) << "too few relay/consumer sessions were killed for the test to mean much";

    long long committed = kRounds * 40;
    ASSERT_TRUE(WaitForEffects(committed, seconds(60))) << Scalar("SELECT count(*) FROM effects") << " of " << committed;
    std::this_thread::sleep_for(milliseconds(500));
    relay.Stop();
    consumer.Stop();
    ExpectExactlyOnceInKeyOrder(committed);
}

std::string ScriptsDir() {
    for (const char* name : {"ORDERSTREAM_SCRIPTS_DIR", "ORDERSTREAM_TEST_SCRIPTS"}) {
        if (const char* dir = std::getenv(name); dir != nullptr && *dir != '\0') return dir;
    }
    return ORDERSTREAM_SOURCE_SCRIPTS_DIR;
}

int RunKafkaScript(const std::string& command) {
    std::string line = "'" + ScriptsDir() + "/kafka.sh' " + command + " >&2";
    return std::system(line.c_str());
}

TEST_F(EventsIntegrationTest, BrokerStoppedAndRestartedMidStreamLosesAndDoublesNothing) {
    MakeTopic(2);
    OutboxRelay relay(RelayOptions());
    EventConsumer consumer(ConsumerOptions());
    relay.Start();
    consumer.Start();

    std::atomic<bool> keep_writing{true};
    std::atomic<int> written{0};
    std::thread writer([&] {
        while (keep_writing.load() || written.load() < 600) {
            // seq continues per key across rounds: 4 keys x 10 events per round
            AppendEvents(db_.url(), topic_, 40, 4, 40, written.load() / 4);
            written += 40;
            std::this_thread::sleep_for(milliseconds(50));
        }
    });

    ASSERT_TRUE(WaitForEffects(200, seconds(30)));
    ASSERT_EQ(RunKafkaScript("stop"), 0) << "kafka.sh stop failed";
    auto written_at_stop = written.load();
    std::this_thread::sleep_for(seconds(2));
    auto pending_during_outage = Scalar("SELECT count(*) FROM outbox WHERE sent_at IS NULL");
    ASSERT_EQ(RunKafkaScript("start"), 0) << "kafka.sh start failed";
    std::this_thread::sleep_for(milliseconds(500));
    keep_writing = false;
    writer.join();

    EXPECT_GT(written.load(), written_at_stop) << "nothing was written during the outage";
    EXPECT_GT(pending_during_outage, 0) << "the outage did not hold anything back: the test proves nothing";
    ASSERT_TRUE(WaitForEffects(written.load(), seconds(60)))
        << Scalar("SELECT count(*) FROM effects") << " of " << written.load();
    std::this_thread::sleep_for(milliseconds(500));
    relay.Stop();
    consumer.Stop();
    ExpectExactlyOnceInKeyOrder(written.load());
}

TEST_F(EventsIntegrationTest, StopDuringABrokerOutageTakesOneStopTimeoutAndLosesNothing) {
    MakeTopic(2);
    auto options = RelayOptions();
    options.stop_timeout = seconds(2);
    EventConsumer consumer(ConsumerOptions());
    consumer.Start();
    {
        OutboxRelay relay(options);
        relay.Start();
        AppendEvents(db_.url(), topic_, 40, 4, 40);
        ASSERT_TRUE(WaitForEffects(40, seconds(30)));
        ASSERT_EQ(RunKafkaScript("stop"), 0) << "kafka.sh stop failed";
        AppendEvents(db_.url(), topic_, 1500, 4, 500, 10);  // more than one batch: the drain has work left
        std::this_thread::sleep_for(seconds(1));            // a batch is waiting for its delivery reports
        auto started = std::chrono::steady_clock::now();
        relay.Stop();
        auto took = std::chrono::steady_clock::now() - started;
        // The documented bound is the stop_timeout; the slack covers the last poll and join.
        EXPECT_LT(took, options.stop_timeout + milliseconds(1500))
            << std::chrono::duration_cast<milliseconds>(took).count() << " ms";
    }
    ASSERT_EQ(RunKafkaScript("start"), 0) << "kafka.sh start failed";
    OutboxRelay again(options);
    again.Start();
    ASSERT_TRUE(WaitForEffects(1540, seconds(90))) << Scalar("SELECT count(*) FROM effects");
    std::this_thread::sleep_for(milliseconds(500));
    again.Stop();
    consumer.Stop();
    ExpectExactlyOnceInKeyOrder(1540);
}

}  // namespace
}  // namespace orderstream::events::testing
