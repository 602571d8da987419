// Outbox -> relay -> Kafka -> consumer against the real PostgreSQL and Kafka.
#include <thread>

#include "integration_fixture.hpp"
#include "orderstream/core/metrics.hpp"
#include "orderstream/events/outbox.hpp"

namespace orderstream::events::testing {
namespace {

using std::chrono::seconds;

TEST_F(EventsIntegrationTest, EveryEventIsHandledOnceInKeyOrderWithTwoRelaysAndThreeGroupMembers) {
    MakeTopic(4);
    OutboxRelay relay_a(RelayOptions()), relay_b(RelayOptions());
    auto two_threads = ConsumerOptions();
    two_threads.threads = 2;
    EventConsumer consumer_a(two_threads), consumer_b(ConsumerOptions());
    relay_a.Start();
    relay_b.Start();
    consumer_a.Start();
    consumer_b.Start();

    constexpr int kEvents = 2000;
    std::thread writer([&] { AppendEvents(db_.url(), topic_, kEvents, 8, 20); });
    writer.join();
    ASSERT_TRUE(WaitForEffects(kEvents, seconds(60))) << Scalar("SELECT count(*) FROM effects") << " handled";
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // anything extra would show up now

    relay_a.Stop();
    relay_b.Stop();
    consumer_a.Stop();
    consumer_b.Stop();
    ExpectExactlyOnceInKeyOrder(kEvents);
    EXPECT_EQ(relay_a.published() + relay_b.published(), static_cast<std::uint64_t>(kEvents));
    EXPECT_EQ(TopicMessageCount(bootstrap_, topic_), kEvents) << "a row was published twice";
    auto a = consumer_a.stats(), b = consumer_b.stats();
    EXPECT_EQ(a.handled + b.handled, static_cast<std::uint64_t>(kEvents));

    auto text = metrics::Registry::Global().RenderText();
    EXPECT_NE(text.find("orderstream_outbox_published_total{topic=\"" + topic_ + "\"} " + std::to_string(kEvents)),
              std::string::npos);
    EXPECT_NE(text.find("orderstream_events_handled_total{group=\"" + group_ + "\"} " + std::to_string(kEvents)),
              std::string::npos);
    EXPECT_NE(text.find("orderstream_outbox_pending"), std::string::npos);
}

TEST_F(EventsIntegrationTest, RolledBackTransactionPublishesNothing) {
    MakeTopic(1);
    {
        pqxx::connection conn(db_.url());
        pqxx::work tx(conn);
        Outbox::Append(tx, topic_, "k0", "noted", R"({"key":"k0","seq":99})");
        tx.abort();  // the state change failed: its event must not exist either
    }
    AppendEvents(db_.url(), topic_, 3, 1, 3);
    OutboxRelay relay(RelayOptions());
    EventConsumer consumer(ConsumerOptions());
    relay.Start();
    consumer.Start();
    ASSERT_TRUE(WaitForEffects(3, seconds(30)));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    relay.Stop();
    consumer.Stop();
    ExpectExactlyOnceInKeyOrder(3);
}

TEST_F(EventsIntegrationTest, AppendRejectsBadTopicNamesAndDataThatIsNotAJsonObject) {
    pqxx::connection conn(db_.url());
    pqxx::work tx(conn);
    EXPECT_THROW(Outbox::Append(tx, topic_, "k", "noted", "[1]"), std::invalid_argument);
    EXPECT_THROW(Outbox::Append(tx, topic_, "k", "noted", "{"), std::invalid_argument);
    EXPECT_THROW(Outbox::Append(tx, "", "k", "noted", "{}"), std::invalid_argument);
    EXPECT_THROW(Outbox::Append(tx, "no spaces allowed", "k", "noted", "{}"), std::invalid_argument);
    EXPECT_THROW(Outbox::Append(tx, std::string(250, 'a'), "k", "noted", "{}"), std::invalid_argument);
}

TEST_F(EventsIntegrationTest, RelayPublishesRowsWrittenWhileItWasDown) {
    MakeTopic(2);
    AppendEvents(db_.url(), topic_, 500, 4, 50);  // no relay running: a crash between commit and publish
    EXPECT_EQ(Scalar("SELECT count(*) FROM outbox WHERE sent_at IS NULL"), 500);
    OutboxRelay relay(RelayOptions());
    EventConsumer consumer(ConsumerOptions());
    relay.Start();
    consumer.Start();
    ASSERT_TRUE(WaitForEffects(500, seconds(30)));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    relay.Stop();
    consumer.Stop();
    ExpectExactlyOnceInKeyOrder(500);
}

TEST_F(EventsIntegrationTest, RelayStopPublishesWhatIsAlreadyPending) {
    MakeTopic(2);
    auto options = RelayOptions();
    options.batch_size = 200;
    OutboxRelay relay(options);
    relay.Start();
    AppendEvents(db_.url(), topic_, 2000, 4, 2000);  // one commit, ten batches
    relay.Stop();
    EXPECT_EQ(Scalar("SELECT count(*) FROM outbox WHERE sent_at IS NULL"), 0) << "Stop() left committed rows behind";
    EXPECT_EQ(relay.published(), 2000u);
    EXPECT_EQ(TopicMessageCount(bootstrap_, topic_), 2000);
}

TEST_F(EventsIntegrationTest, RelayPrunesSentRowsPastTheirRetention) {
    MakeTopic(1);
    AppendEvents(db_.url(), topic_, 20, 2, 10);
    auto options = RelayOptions();
    options.sent_retention = seconds(1);
    OutboxRelay relay(options);
    relay.Start();
    ASSERT_TRUE(WaitFor([&] { return relay.published() == 20; }, seconds(30)));
    ASSERT_TRUE(WaitFor([&] { return Scalar("SELECT count(*) FROM outbox") == 0; }, seconds(10)))
        << "sent rows were not pruned";
    relay.Stop();
    EXPECT_EQ(TopicMessageCount(bootstrap_, topic_), 20);
}

TEST_F(EventsIntegrationTest, TwoConsumerGroupsOnOneDatabaseEachApplyEveryEventOnce) {
    MakeTopic(2);
    AppendEvents(db_.url(), topic_, 100, 4, 20);
    OutboxRelay relay(RelayOptions());
    relay.Start();
    auto projection = ConsumerOptions();
    projection.group_id = group_ + "-projection";
    EventConsumer first(ConsumerOptions());
    EventConsumer second(projection);
    first.Start();
    second.Start();
    ASSERT_TRUE(WaitForEffects(200, std::chrono::seconds(30))) << Scalar("SELECT count(*) FROM effects");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    first.Stop();
    second.Stop();
    relay.Stop();
    EXPECT_EQ(Scalar("SELECT count(*) FROM effects"), 200) << "each group applies every event once";
    EXPECT_EQ(Scalar("SELECT count(DISTINCT event_id) FROM effects"), 100);
    EXPECT_EQ(Scalar("SELECT count(*) FROM processed_events"), 200);
    EXPECT_EQ(Scalar("SELECT count(DISTINCT consumer_group) FROM processed_events"), 2);
}

}  // namespace
}  // namespace orderstream::events::testing
