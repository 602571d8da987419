// Subscriptions (spec 6.2.3): source streams, per-event execution, ordering, cancellation and limits.
#include <atomic>
#include <condition_variable>
#include <set>
#include <thread>

#include "orderstream/graphql/validation/validate.hpp"
#include "test_support.hpp"

namespace orderstream::graphql {
namespace {

using testing::build;
using testing::json;

const char* kSdl = R"(
  type Query { unused: Int }
  type Subscription { ticks(from: Int!): Tick!, mapped: Tick, other: Int }
  type Tick { n: Int!, slow: Int, label: String }
)";

// Records what an observer receives, and lets a test wait for it.
struct Recorder {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::string> results;
    std::optional<std::vector<GraphQLError>> completion;
    std::atomic<int> in_next{0};
    std::atomic<bool> overlapped{false};

    SubscriptionObserver observer() {
        return {[this](ExecutionResult result) {
                    if (in_next.fetch_add(1) != 0) overlapped = true;
                    {
                        std::lock_guard lock(mutex);
                        results.push_back(result.to_json());
                    }
                    in_next.fetch_sub(1);
                    changed.notify_all();
                },
                [this](std::vector<GraphQLError> errors) {
                    std::lock_guard lock(mutex);
                    completion = std::move(errors);
                    changed.notify_all();
                }};
    }
    bool wait_for(std::size_t count) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::seconds(10), [&] { return results.size() >= count; });
    }
    bool wait_completed() {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::seconds(10), [&] { return completion.has_value(); });
    }
};

struct SubscribeTest : ::testing::Test {
    std::shared_ptr<Schema> schema = build(kSdl);
    std::shared_ptr<SourceStream> stream = std::make_shared<SourceStream>();
    std::atomic<int> cancels{0};
    Value seen_arguments;

    void SetUp() override {
        schema->set_subscriber("ticks", [this](const ResolveInfo& info) -> SubscribeResult {
            seen_arguments = Value(info.arguments);
            stream->on_cancel([this] { ++cancels; });
            return stream;
        });
    }

    std::shared_ptr<Subscription> start(const std::string& query, Recorder& recorder,
                                        Value variables = Value(ValueObject{}), std::string operation_name = {}) {
        auto parsed = parse(query);
        EXPECT_TRUE(parsed) << (parsed.error ? parsed.error->message : "");
        EXPECT_TRUE(validate(*schema, *parsed.document).empty());
        ExecutionRequest request;
        request.schema = schema;
        request.document = parsed.document;
        request.variables = std::move(variables);
        request.operation_name = std::move(operation_name);
        return subscribe(std::move(request), recorder.observer());
    }
};

Value tick(int n) { return Value(ValueObject{{"ticks", Value(ValueObject{{"n", Value(n)}})}}); }

TEST_F(SubscribeTest, EachEventIsExecutedAgainstTheSelectionSetInOrder) {
    Recorder recorder;
    auto subscription = start("subscription S($from: Int!) { ticks(from: $from) { n } }", recorder,
                              json(R"({"from": 3})"));
    EXPECT_EQ(to_json(seen_arguments), R"({"from":3})");
    for (int n = 1; n <= 3; ++n) EXPECT_TRUE(stream->push(tick(n)));
    ASSERT_TRUE(recorder.wait_for(3));
    EXPECT_EQ(recorder.results, (std::vector<std::string>{R"({"data":{"ticks":{"n":1}}})",
                                                          R"({"data":{"ticks":{"n":2}}})",
                                                          R"({"data":{"ticks":{"n":3}}})"}));
    stream->close();
    ASSERT_TRUE(recorder.wait_completed());
    EXPECT_TRUE(recorder.completion->empty());
    EXPECT_FALSE(stream->push(tick(4)));
    EXPECT_EQ(cancels, 0);  // the producer closed it: no cancel hook
}

TEST_F(SubscribeTest, FieldErrorsOfOneEventStayInItsResponse) {
    Recorder recorder;
    auto subscription = start("subscription { alias: ticks(from: 1) { n label } }", recorder);
    stream->push(Value(ValueObject{{"ticks", Value(ValueObject{{"n", Value()}})}}));  // n is non-null
    stream->push(Value(ValueObject{{"ticks", Value(ValueObject{{"n", Value(2)}, {"label", Value("two")}})}}));
    ASSERT_TRUE(recorder.wait_for(2));
    EXPECT_EQ(recorder.results[0],
              R"({"data":null,"errors":[{"message":"Cannot return null for non-nullable field Tick.n.","locations":[{"line":1,"column":40}],"path":["alias","n"]}]})");
    EXPECT_EQ(recorder.results[1], R"({"data":{"alias":{"n":2,"label":"two"}}})");
    EXPECT_FALSE(recorder.completion);
}

TEST_F(SubscribeTest, TheRootFieldResolverMapsEachEvent) {
    auto mapped = std::make_shared<SourceStream>();
    schema->set_subscriber("mapped", [mapped](const ResolveInfo&) -> SubscribeResult { return mapped; });
    schema->set_resolver("Subscription", "mapped", [](const ResolveInfo& info) -> ResolverResult {
        if (info.parent.find("fail")) return FieldError{"event refused", Value(ValueObject{{"code", Value("X")}})};
        return Value(ValueObject{{"n", Value(info.parent.find("value")->as_int() * 10)}});
    });
    Recorder recorder;
    auto subscription = start("subscription { mapped { n } }", recorder);
    mapped->push(Value(ValueObject{{"value", Value(4)}}));
    mapped->push(Value(ValueObject{{"fail", Value(true)}}));
    ASSERT_TRUE(recorder.wait_for(2));
    EXPECT_EQ(recorder.results[0], R"({"data":{"mapped":{"n":40}}})");
    EXPECT_EQ(recorder.results[1],
              R"({"data":{"mapped":null},"errors":[{"message":"event refused","locations":[{"line":1,"column":16}],"path":["mapped"],"extensions":{"code":"X"}}]})");
}

TEST_F(SubscribeTest, ASubscriberErrorIsARequestErrorAtTheField) {
    schema->set_subscriber("ticks", [](const ResolveInfo&) -> SubscribeResult {
        return FieldError{"not yours", Value(ValueObject{{"code", Value("FORBIDDEN")}})};
    });
    Recorder recorder;
    auto subscription = start("subscription { ticks(from: 1) { n } }", recorder);
    ASSERT_TRUE(recorder.wait_completed());
    ASSERT_EQ(recorder.completion->size(), 1u);
    ExecutionResult as_result{std::nullopt, *recorder.completion};
    EXPECT_EQ(as_result.to_json(),
              R"({"errors":[{"message":"not yours","locations":[{"line":1,"column":16}],"path":["ticks"],"extensions":{"code":"FORBIDDEN"}}]})");
    EXPECT_TRUE(recorder.results.empty());
}

TEST_F(SubscribeTest, AThrowingSubscriberIsAnErrorNotACrash) {
    schema->set_subscriber("ticks", [](const ResolveInfo&) -> SubscribeResult { throw std::runtime_error("boom"); });
    Recorder recorder;
    auto subscription = start("subscription { ticks(from: 1) { n } }", recorder);
    ASSERT_TRUE(recorder.wait_completed());
    ASSERT_EQ(recorder.completion->size(), 1u);
    EXPECT_EQ((*recorder.completion)[0].message, "boom");
}

TEST_F(SubscribeTest, RequestErrorsComeBeforeAnyStream) {
    Recorder bad_variables;
    auto first = start("subscription S($from: Int!) { ticks(from: $from) { n } }", bad_variables,
                       json(R"({"from": "three"})"));
    ASSERT_TRUE(bad_variables.wait_completed());
    ASSERT_FALSE(bad_variables.completion->empty());
    EXPECT_NE((*bad_variables.completion)[0].message.find("$from"), std::string::npos);

    Recorder unknown_operation;
    auto second = start("subscription S { ticks(from: 1) { n } }", unknown_operation, Value(ValueObject{}), "T");
    ASSERT_TRUE(unknown_operation.wait_completed());
    EXPECT_EQ((*unknown_operation.completion)[0].message, "Unknown operation named \"T\".");

    Recorder no_subscriber;
    auto third = start("subscription { other }", no_subscriber);
    ASSERT_TRUE(no_subscriber.wait_completed());
    EXPECT_EQ((*no_subscriber.completion)[0].message, "Subscription field \"Subscription.other\" has no source stream.");

    Recorder query;
    auto fourth = start("{ unused }", query);
    ASSERT_TRUE(query.wait_completed());
    EXPECT_EQ((*query.completion)[0].message, "Only subscription operations have a source stream.");

    Recorder skipped;
    auto fifth = start("subscription { ticks(from: 1) @skip(if: true) { n } }", skipped);
    ASSERT_TRUE(skipped.wait_completed());
    EXPECT_EQ((*skipped.completion)[0].message, "The subscription selects no root field.");
}

TEST_F(SubscribeTest, ADeferredSubscriberDeliversWhatWasPushedMeanwhile) {
    std::optional<StreamCompleter> later;
    schema->set_subscriber("ticks", [&](const ResolveInfo&) -> SubscribeResult {
        auto [result, completer] = SubscribeResult::deferred();
        later = completer;
        return std::move(result);
    });
    Recorder recorder;
    auto subscription = start("subscription { ticks(from: 1) { n } }", recorder);
    // The producer registered the stream before its check finished: events that arrive meanwhile wait.
    stream->push(tick(1));
    stream->push(tick(2));
    std::thread completing([&] { later->resolve(stream); });
    completing.join();
    ASSERT_TRUE(recorder.wait_for(2));
    EXPECT_EQ(recorder.results[1], R"({"data":{"ticks":{"n":2}}})");
}

TEST_F(SubscribeTest, ADeferredSubscriberMayRefuse) {
    std::optional<StreamCompleter> later;
    schema->set_subscriber("ticks", [&](const ResolveInfo&) -> SubscribeResult {
        auto [result, completer] = SubscribeResult::deferred();
        later = completer;
        return std::move(result);
    });
    Recorder recorder;
    auto subscription = start("subscription { ticks(from: 1) { n } }", recorder);
    std::thread([&] { later->fail(FieldError{"order 7 not found", std::nullopt}); }).join();
    ASSERT_TRUE(recorder.wait_completed());
    EXPECT_EQ((*recorder.completion)[0].message, "order 7 not found");
    EXPECT_EQ(std::get<std::string>((*recorder.completion)[0].path.at(0)), "ticks");
}

TEST_F(SubscribeTest, CancellingStopsDeliveryAndTellsTheProducer) {
    Recorder recorder;
    auto subscription = start("subscription { ticks(from: 1) { n } }", recorder);
    stream->push(tick(1));
    ASSERT_TRUE(recorder.wait_for(1));
    subscription->cancel();
    subscription->cancel();
    EXPECT_EQ(cancels, 1);
    EXPECT_FALSE(stream->accepting());
    EXPECT_FALSE(stream->push(tick(2)));
    stream->close();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(recorder.results.size(), 1u);
    EXPECT_FALSE(recorder.completion);  // a cancelled subscription does not complete
    int late = 0;
    stream->on_cancel([&] { ++late; });  // registering after the fact runs the hook at once
    EXPECT_EQ(late, 1);
}

TEST_F(SubscribeTest, EachEventMayRunWithAContextOfItsOwn) {
    std::vector<int> contexts_seen;
    schema->set_resolver("Tick", "label", [&](const ResolveInfo& info) -> ResolverResult {
        contexts_seen.push_back(*static_cast<int*>(info.context));
        return Value("ok");
    });
    int subscription_context = 0;
    auto parsed = parse("subscription { ticks(from: 1) { n label } }");
    ExecutionRequest request;
    request.schema = schema;
    request.document = parsed.document;
    request.context = &subscription_context;
    auto events = std::make_shared<int>(0);
    Recorder recorder;
    auto subscription = subscribe(std::move(request), recorder.observer(),
                                  [events](ExecutionRequest event, std::function<void(ExecutionResult)> done) {
                                      auto context = std::make_shared<int>(++*events);
                                      event.context = context.get();
                                      execute_async(std::move(event), [context, done](ExecutionResult result) {
                                          done(std::move(result));
                                      });
                                  });
    stream->push(tick(1));
    stream->push(tick(2));
    ASSERT_TRUE(recorder.wait_for(2));
    EXPECT_EQ(contexts_seen, (std::vector<int>{1, 2}));
    EXPECT_EQ(recorder.results[1], R"({"data":{"ticks":{"n":2,"label":"ok"}}})");
}

TEST_F(SubscribeTest, DroppingTheSubscriptionCancelsIt) {
    Recorder recorder;
    auto subscription = start("subscription { ticks(from: 1) { n } }", recorder);
    subscription.reset();
    EXPECT_EQ(cancels, 1);
    EXPECT_FALSE(stream->push(tick(1)));
}

TEST_F(SubscribeTest, CancellingBeforeADeferredStreamArrivesCancelsIt) {
    std::optional<StreamCompleter> later;
    schema->set_subscriber("ticks", [&](const ResolveInfo&) -> SubscribeResult {
        stream->on_cancel([this] { ++cancels; });
        auto [result, completer] = SubscribeResult::deferred();
        later = completer;
        return std::move(result);
    });
    Recorder recorder;
    auto subscription = start("subscription { ticks(from: 1) { n } }", recorder);
    subscription->cancel();
    later->resolve(stream);
    EXPECT_EQ(cancels, 1);
    EXPECT_FALSE(stream->push(tick(1)));
}

TEST_F(SubscribeTest, TheProducerMayEndTheStreamWithAnError) {
    Recorder recorder;
    auto subscription = start("subscription { ticks(from: 1) { n } }", recorder);
    stream->push(tick(1));
    stream->close(FieldError{"feed lost", Value(ValueObject{{"code", Value("UNAVAILABLE")}})});
    ASSERT_TRUE(recorder.wait_completed());
    EXPECT_EQ(recorder.results.size(), 1u);  // what was pushed before the end is still delivered
    ASSERT_EQ(recorder.completion->size(), 1u);
    EXPECT_EQ((*recorder.completion)[0].message, "feed lost");
}

// A slow response holds back the next event; events pushed concurrently from several threads are each
// delivered exactly once, never two at a time.
TEST_F(SubscribeTest, SlowResponsesKeepOrderAndNeverOverlap) {
    std::mutex workers_mutex;
    std::vector<std::thread> workers;
    schema->set_resolver("Tick", "slow", [&](const ResolveInfo& info) -> ResolverResult {
        auto [result, completer] = ResolverResult::deferred();
        Value n = *info.parent.find("n");
        std::lock_guard lock(workers_mutex);
        workers.emplace_back([completer = completer, n] {
            std::this_thread::sleep_for(std::chrono::microseconds(200));
            completer.resolve(n);
        });
        return std::move(result);
    });
    auto big = std::make_shared<SourceStream>(SourceStreamOptions{.max_buffered = 10'000});
    stream = big;
    Recorder recorder;
    auto subscription = start("subscription { ticks(from: 1) { n slow } }", recorder);
    constexpr int kThreads = 4, kEach = 100;
    std::vector<std::thread> producers;
    for (int t = 0; t < kThreads; ++t) {
        producers.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) EXPECT_TRUE(big->push(tick(t * kEach + i)));
        });
    }
    for (auto& producer : producers) producer.join();
    ASSERT_TRUE(recorder.wait_for(kThreads * kEach));
    EXPECT_FALSE(recorder.overlapped);
    std::set<std::string> distinct(recorder.results.begin(), recorder.results.end());
    EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kThreads * kEach));
    // Each producer's own events keep their order.
    for (int t = 0; t < kThreads; ++t) {
        int last = -1;
        for (const auto& text : recorder.results) {
            auto value = json(text);
            int n = static_cast<int>(value.find("data")->find("ticks")->find("n")->as_int());
            if (n / kEach != t) continue;
            EXPECT_GT(n, last);
            last = n;
        }
    }
    subscription->cancel();
    std::lock_guard lock(workers_mutex);
    for (auto& worker : workers) worker.join();
}

TEST_F(SubscribeTest, ASubscriberTooFarBehindIsDroppedWithAnError) {
    std::optional<Completer> held;
    schema->set_resolver("Tick", "slow", [&](const ResolveInfo&) -> ResolverResult {
        auto [result, completer] = ResolverResult::deferred();
        if (!held) {
            held = completer;
        } else {
            completer.resolve(Value(0));
        }
        return std::move(result);
    });
    stream = std::make_shared<SourceStream>(SourceStreamOptions{.max_buffered = 2});
    Recorder recorder;
    auto subscription = start("subscription { ticks(from: 1) { n slow } }", recorder);
    EXPECT_TRUE(stream->push(tick(1)));  // taken: its response waits for `held`
    EXPECT_TRUE(stream->push(tick(2)));
    EXPECT_TRUE(stream->push(tick(3)));
    EXPECT_FALSE(stream->push(tick(4)));  // a third one waiting is too many
    EXPECT_EQ(cancels, 1);
    held->resolve(Value(1));
    ASSERT_TRUE(recorder.wait_completed());
    EXPECT_EQ(recorder.results, (std::vector<std::string>{R"({"data":{"ticks":{"n":1,"slow":1}}})"}));
    ASSERT_EQ(recorder.completion->size(), 1u);
    EXPECT_EQ((*recorder.completion)[0].message, "the subscriber fell 2 events behind and was dropped");
}

TEST_F(SubscribeTest, CancelFromInsideNextIsSafe) {
    std::shared_ptr<Subscription> subscription;
    std::atomic<int> delivered{0};
    auto parsed = parse("subscription { ticks(from: 1) { n } }");
    ExecutionRequest request;
    request.schema = schema;
    request.document = parsed.document;
    subscription = subscribe(std::move(request), {[&](ExecutionResult) {
                                                      ++delivered;
                                                      subscription->cancel();
                                                  },
                                                  [](std::vector<GraphQLError>) {}});
    stream->push(tick(1));
    stream->push(tick(2));
    EXPECT_EQ(delivered, 1);
    EXPECT_EQ(cancels, 1);
}

TEST_F(SubscribeTest, ConcurrentPushesCancelAndCloseDoNotRace) {
    for (int round = 0; round < 50; ++round) {
        stream = std::make_shared<SourceStream>();
        Recorder recorder;
        auto subscription = start("subscription { ticks(from: 1) { n } }", recorder);
        std::vector<std::thread> threads;
        for (int t = 0; t < 3; ++t) {
            threads.emplace_back([&] {
                for (int i = 0; i < 50; ++i) stream->push(tick(i));
            });
        }
        threads.emplace_back([&] { subscription->cancel(); });
        threads.emplace_back([&] { stream->close(); });
        for (auto& thread : threads) thread.join();
        EXPECT_FALSE(recorder.overlapped);
    }
}

}  // namespace
}  // namespace orderstream::graphql
