// order_events records and their fan-out to subscriptions, with a fake order service.
#include <condition_variable>
#include <thread>

#include <gtest/gtest.h>

#include "order_status_change.hpp"
#include "order_subscriptions.hpp"
#include "orderstream/graphql/graphql.hpp"
#include "orderstream/graphql/validation/validate.hpp"

namespace gateway = orderstream::gateway;
namespace graphql = orderstream::graphql;

namespace {

std::string Record(const std::string& type, const std::string& data) {
    return R"({"id":"01890a5d-ac96-774b-bcce-b302099a8057","type":")" + type +
           R"(","occurred_at":"2026-12-04T10:00:00.125Z","data":)" + data + "}";
}

const std::string kPaid =
    R"({"order_id":42,"account_id":7,"from":"pending","to":"paid","reason":"payment pay_123 succeeded","at":"2026-12-04T10:00:00.123Z"})";

TEST(OrderEventRecord, ReadsAStatusChange) {
    auto parsed = gateway::ParseOrderEventRecord("42", Record("order.status_changed", kPaid));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    ASSERT_TRUE(parsed->has_value());
    const auto& change = **parsed;
    EXPECT_EQ(change.order_id, 42u);
    EXPECT_EQ(change.account_id, 7u);
    EXPECT_EQ(change.from, "pending");
    EXPECT_EQ(change.to, "paid");
    EXPECT_EQ(change.reason, "payment pay_123 succeeded");
    EXPECT_EQ(change.at, "2026-12-04T10:00:00.123Z");
}

TEST(OrderEventRecord, OtherEventTypesAreNotOurs) {
    for (const char* type : {"order.created", "order.payment_refused"}) {
        auto parsed = gateway::ParseOrderEventRecord("42", Record(type, R"({"order_id":42})"));
        ASSERT_TRUE(parsed.ok()) << type;
        EXPECT_FALSE(parsed->has_value()) << type;
    }
}

TEST(OrderEventRecord, MalformedRecordsAreErrors) {
    auto error = [](const std::string& key, const std::string& value) {
        auto parsed = gateway::ParseOrderEventRecord(key, value);
        return parsed.ok() ? std::string() : parsed.error().message;
    };
    EXPECT_NE(error("42", "not json"), "");
    EXPECT_NE(error("42", R"({"type":"order.status_changed","data":{}})"), "");  // no id, no occurred_at
    EXPECT_EQ(error("43", Record("order.status_changed", kPaid)), "the record key is not the order id 42");
    EXPECT_EQ(error("", Record("order.status_changed", kPaid)), "the record key is not the order id 42");
    EXPECT_EQ(error("42 ", Record("order.status_changed", kPaid)), "the record key is not the order id 42");
    auto with = [&](const std::string& from, const std::string& to) {
        std::string data = kPaid;
        data.replace(data.find(from), from.size(), to);
        return error("42", Record("order.status_changed", data));
    };
    // The data is read by the shared contract (libs/contracts), whose errors name the field.
    auto names = [](const std::string& message, const std::string& field) {
        return message.find(field) != std::string::npos;
    };
    EXPECT_TRUE(names(with("\"order_id\":42", "\"order_id\":-42"), "order_id"));
    EXPECT_TRUE(names(with("\"account_id\":7", "\"account_id\":0"), "account_id"));
    EXPECT_TRUE(names(with("\"to\":\"paid\"", "\"to\":\"\""), "to"));
    EXPECT_TRUE(names(with("\"to\":\"paid\"", "\"to\":\"shipped\""), "to"));
    EXPECT_TRUE(names(with("\"from\":\"pending\"", "\"from\":null"), "from"));
    EXPECT_TRUE(names(with("2026-12-04T10:00:00.123Z", "yesterday"), "at"));
    EXPECT_EQ(with(",\"reason\":\"payment pay_123 succeeded\"", ""), "");  // the reason is optional
}

// A fake order service: each read waits until the test answers it.
class FakeDirectory : public gateway::OrderDirectory {
public:
    void GetOrder(std::uint64_t order_id, std::function<void(Reply)> done) override {
        std::lock_guard lock(mutex);
        reads.emplace_back(order_id, std::move(done));
    }
    // Answers the oldest read with an order of that id owned by `account_id`.
    void Answer(std::uint64_t account_id) {
        std::pair<std::uint64_t, std::function<void(Reply)>> read;
        {
            std::lock_guard lock(mutex);
            read = std::move(reads.front());
            reads.erase(reads.begin());
        }
        pb::Order order;
        order.set_id(read.first);
        order.set_accountid(account_id);
        order.set_status("stale");
        order.set_createdat("2026-12-04T09:00:00Z");
        order.set_totalprice(9.5);
        read.second(order);
    }
    void Fail() {
        std::pair<std::uint64_t, std::function<void(Reply)>> read;
        {
            std::lock_guard lock(mutex);
            read = std::move(reads.front());
            reads.erase(reads.begin());
        }
        read.second(graphql::FieldError{"a service is unavailable, retry later",
                                        graphql::Value(graphql::ValueObject{{"code", graphql::Value("UNAVAILABLE")}})});
    }
    std::size_t pending() {
        std::lock_guard lock(mutex);
        return reads.size();
    }
    std::mutex mutex;
    std::vector<std::pair<std::uint64_t, std::function<void(Reply)>>> reads;
};

// Listens to a stream through the engine, as a subscription would.
struct Listener {
    std::mutex mutex;
    std::vector<std::string> events;
    bool completed = false;
    std::shared_ptr<graphql::Subscription> subscription;

    Listener(const std::shared_ptr<graphql::Schema>& schema, std::shared_ptr<graphql::SourceStream> stream) {
        schema->set_subscriber("changes", [stream](const graphql::ResolveInfo&) -> graphql::SubscribeResult { return stream; });
        graphql::ExecutionRequest request;
        request.schema = schema;
        request.document = graphql::parse("subscription { changes { id status } }").document;
        subscription = graphql::subscribe(std::move(request),
                                          {[this](graphql::ExecutionResult result) {
                                               std::lock_guard lock(mutex);
                                               events.push_back(result.to_json());
                                           },
                                           [this](std::vector<graphql::GraphQLError>) {
                                               std::lock_guard lock(mutex);
                                               completed = true;
                                           }});
    }
    std::vector<std::string> Events() {
        std::lock_guard lock(mutex);
        return events;
    }
};

std::shared_ptr<graphql::Schema> TestSchema() {
    auto schema = graphql::Schema::from_sdl(R"(
      type Query { unused: Int }
      type Subscription { changes: Order }
      type Order { id: Int!, status: String! })")
                      .schema;
    schema->set_resolver("Subscription", "changes", [](const graphql::ResolveInfo& info) -> graphql::ResolverResult {
        if (const auto* order = info.parent.find("order")) return *order;
        const auto* error = info.parent.find("error");
        return graphql::FieldError{error->find("message")->as_string(), *error->find("extensions")};
    });
    return schema;
}

gateway::OrderStatusChange Change(std::uint64_t order, std::uint64_t account, std::string to) {
    return {order, account, "pending", std::move(to), "", "2026-12-04T10:00:00Z"};
}

std::string Event(std::uint64_t order, const std::string& status) {
    return R"({"data":{"changes":{"id":)" + std::to_string(order) + R"(,"status":")" + status + "\"}}}";
}

struct FanOutTest : ::testing::Test {
    FakeDirectory directory;
    std::shared_ptr<gateway::OrderSubscriptions> subscriptions = std::make_shared<gateway::OrderSubscriptions>(directory);
    std::shared_ptr<graphql::Schema> schema = TestSchema();
};

TEST_F(FanOutTest, AChangeNobodyWatchesIsNotRead) {
    subscriptions->Publish(Change(1, 1, "paid"));
    EXPECT_EQ(directory.pending(), 0u);
}

TEST_F(FanOutTest, EachSubscriptionGetsItsOwnOrdersWithTheChangesStatus) {
    Listener mine(TestSchema(), subscriptions->WatchAccount(7));
    Listener one(TestSchema(), subscriptions->WatchOrder(42));
    Listener other(TestSchema(), subscriptions->WatchAccount(8));
    EXPECT_EQ(subscriptions->size(), 3u);
    subscriptions->Publish(Change(42, 7, "paid"));
    subscriptions->Publish(Change(43, 7, "failed"));
    subscriptions->Publish(Change(50, 9, "paid"));  // nobody's
    ASSERT_EQ(directory.pending(), 2u);             // one read per watched change
    directory.Answer(7);
    directory.Answer(7);
    EXPECT_EQ(mine.Events(), (std::vector<std::string>{Event(42, "paid"), Event(43, "failed")}));
    EXPECT_EQ(one.Events(), (std::vector<std::string>{Event(42, "paid")}));
    EXPECT_TRUE(other.Events().empty());
}

TEST_F(FanOutTest, ChangesOfOneOrderKeepTheirOrderAndShareOneRead) {
    Listener listener(TestSchema(), subscriptions->WatchOrder(42));
    subscriptions->Publish(Change(42, 7, "failed"));
    subscriptions->Publish(Change(42, 7, "paid"));
    subscriptions->Publish(Change(42, 7, "refunded"));
    ASSERT_EQ(directory.pending(), 1u);
    directory.Answer(7);
    EXPECT_EQ(listener.Events(),
              (std::vector<std::string>{Event(42, "failed"), Event(42, "paid"), Event(42, "refunded")}));
    subscriptions->Publish(Change(42, 7, "paid"));  // a new read once the queue is empty
    EXPECT_EQ(directory.pending(), 1u);
}

TEST_F(FanOutTest, AFailedReadBecomesAnErrorInThatEvent) {
    Listener listener(TestSchema(), subscriptions->WatchAccount(7));
    subscriptions->Publish(Change(42, 7, "paid"));
    directory.Fail();
    auto events = listener.Events();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_NE(events[0].find(R"("data":{"changes":null})"), std::string::npos) << events[0];
    EXPECT_NE(events[0].find(R"("code":"UNAVAILABLE")"), std::string::npos) << events[0];
}

TEST_F(FanOutTest, CancelledAndForgottenStreamsAreUnregistered) {
    auto listener = std::make_unique<Listener>(TestSchema(), subscriptions->WatchAccount(7));
    auto unused = subscriptions->WatchOrder(5);
    EXPECT_EQ(subscriptions->size(), 2u);
    listener->subscription->cancel();
    EXPECT_EQ(subscriptions->size(), 1u);
    subscriptions->Forget(unused);
    EXPECT_EQ(subscriptions->size(), 0u);
    EXPECT_FALSE(unused->accepting());
    subscriptions->Publish(Change(5, 7, "paid"));
    EXPECT_EQ(directory.pending(), 0u);
}

TEST_F(FanOutTest, StopEndsEveryStream) {
    Listener listener(TestSchema(), subscriptions->WatchAccount(7));
    subscriptions->Stop(std::chrono::milliseconds(10));
    EXPECT_TRUE(listener.completed);
    EXPECT_EQ(subscriptions->size(), 0u);
    auto late = subscriptions->WatchAccount(7);
    EXPECT_FALSE(late->accepting());
}

TEST_F(FanOutTest, ManySubscribersAndConcurrentChanges) {
    std::vector<std::unique_ptr<Listener>> listeners;
    for (int account = 1; account <= 20; ++account) {
        for (int i = 0; i < 5; ++i) {
            listeners.push_back(std::make_unique<Listener>(TestSchema(), subscriptions->WatchAccount(account)));
        }
    }
    std::vector<std::thread> producers;
    for (int account = 1; account <= 20; ++account) {
        producers.emplace_back([&, account] {
            for (int order = 0; order < 3; ++order) {
                subscriptions->Publish(Change(account * 100 + order, account, "paid"));
            }
        });
    }
    for (auto& producer : producers) producer.join();
    std::vector<std::thread> answers;
    while (directory.pending() > 0) {
        std::lock_guard lock(directory.mutex);
        auto read = std::move(directory.reads.back());
        directory.reads.pop_back();
        answers.emplace_back([read = std::move(read)]() mutable {
            pb::Order order;
            order.set_id(read.first);
            order.set_accountid(read.first / 100);
            read.second(order);
        });
    }
    for (auto& answer : answers) answer.join();
    for (std::size_t i = 0; i < listeners.size(); ++i) {
        auto events = listeners[i]->Events();
        EXPECT_EQ(events.size(), 3u) << i;
        int account = static_cast<int>(i / 5) + 1;
        for (const auto& event : events) {
            auto id = std::stoi(event.substr(event.find("\"id\":") + 5));
            EXPECT_EQ(id / 100, account) << event;
        }
    }
}

}  // namespace
