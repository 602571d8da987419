#include <atomic>
#include <thread>

#include "test_support.hpp"

namespace orderstream::graphql {
namespace {

using testing::build;
using testing::json;
using testing::run;

const char* kSdl = R"(
  type Query {
    hero: Character
    list: [Item]
    strictList: [Item!]
    item: Item
    strictItem: Item!
    slow(n: Int!): Int
    greeting(name: String = "world"): String!
    echo(value: In): String
  }
  type Mutation { step(n: Int!): Int }
  input In { a: Int!, b: [String] = ["x"] }
  type Item { id: Int!, name: String }
  interface Character { name: String }
  type Human implements Character { name: String, height: Float }
  type Droid implements Character { name: String, model: String }
)";

TEST(Execute, ResolvesNestedObjectsFromRootValue) {
    auto schema = build(kSdl);
    auto result = run(schema, "{ list { id name } item { id } }",
                      Value(ValueObject{}), json(R"({"list":[{"id":1,"name":"a"},{"id":2}],"item":{"id":3}})"));
    EXPECT_EQ(result.to_json(), R"({"data":{"list":[{"id":1,"name":"a"},{"id":2,"name":null}],"item":{"id":3}}})");
}

TEST(Execute, PropagatesNullToNearestNullableParent) {
    auto schema = build(kSdl);
    auto result = run(schema, "{ list { id } strictList { id } item { id } }", Value(ValueObject{}),
                      json(R"({"list":[{"id":1},{"id":null}],"strictList":[{"id":null}],"item":{"id":"x"}})"));
    EXPECT_TRUE(result.to_json().starts_with(R"({"data":{"list":[{"id":1},null],"strictList":null,"item":null},"errors":[)"))
        << result.to_json();
    ASSERT_EQ(result.errors.size(), 3u);
    EXPECT_EQ(error_to_value(result.errors[0]).find("path")->as_list().size(), 3u);
}

TEST(Execute, NullsDataWhenNonNullRootFieldFails) {
    auto schema = build(kSdl);
    auto result = run(schema, "{ strictItem { id } }");
    ASSERT_TRUE(result.data);
    EXPECT_TRUE(result.data->is_null());
    EXPECT_EQ(result.errors.size(), 1u);
}

TEST(Execute, AppliesArgumentDefaultsAndInputObjectDefaults) {
    auto schema = build(kSdl);
    schema->set_resolver("Query", "greeting", [](const ResolveInfo& info) -> ResolverResult {
        return Value("hello " + info.argument("name")->as_string());
    });
    schema->set_resolver("Query", "echo", [](const ResolveInfo& info) -> ResolverResult {
        return Value(to_json(*info.argument("value")));
    });
    auto result = run(schema, "{ greeting echo(value: {a: 1}) }");
    EXPECT_EQ(result.to_json(), R"({"data":{"greeting":"hello world","echo":"{\"a\":1,\"b\":[\"x\"]}"}})");
}

TEST(Execute, ReportsEveryInvalidVariable) {
    auto schema = build(kSdl);
    auto result = run(schema, "query ($v: In!, $n: Int!) { echo(value: $v) }", json(R"({"v":{"a":"x","c":1}})"));
    EXPECT_FALSE(result.data);
    EXPECT_EQ(result.errors.size(), 3u);  // a has the wrong type, c is unknown, $n is missing
}

TEST(Execute, ResolvesAbstractTypesByTypename) {
    auto schema = build(kSdl);
    auto result = run(schema, "{ hero { name ... on Droid { model } ... on Human { height } __typename } }",
                      Value(ValueObject{}), json(R"({"hero":{"__typename":"Droid","name":"R2","model":"astromech"}})"));
    EXPECT_EQ(result.to_json(), R"({"data":{"hero":{"name":"R2","model":"astromech","__typename":"Droid"}}})");
}

TEST(Execute, RunsDeferredSiblingsConcurrently) {
    auto schema = build(kSdl);
    std::atomic<int> started{0};
    std::vector<std::thread> workers;
    std::mutex workers_mutex;
    schema->set_resolver("Query", "slow", [&](const ResolveInfo& info) -> ResolverResult {
        auto [result, completer] = ResolverResult::deferred();
        const std::int64_t n = info.argument("n")->as_int();
        ++started;
        std::lock_guard lock(workers_mutex);
        workers.emplace_back([&started, completer = completer, n] {
            // Each resolver waits until both have started: this deadlocks unless siblings overlap.
            while (started.load() < 2) std::this_thread::yield();
            completer.resolve(Value(n * 10));
        });
        return std::move(result);
    });
    auto result = run(schema, "{ a: slow(n: 1) b: slow(n: 2) }");
    for (auto& worker : workers) worker.join();
    EXPECT_EQ(result.to_json(), R"({"data":{"a":10,"b":20}})");
}

TEST(Execute, RunsMutationFieldsSerially) {
    auto schema = build(kSdl);
    std::vector<std::int64_t> order;
    std::vector<std::thread> workers;
    std::atomic<bool> in_flight{false};
    bool overlapped = false;
    schema->set_resolver("Mutation", "step", [&](const ResolveInfo& info) -> ResolverResult {
        overlapped = overlapped || in_flight.exchange(true);
        auto [result, completer] = ResolverResult::deferred();
        const std::int64_t n = info.argument("n")->as_int();
        order.push_back(n);
        workers.emplace_back([&in_flight, completer = completer, n] {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            in_flight = false;
            completer.resolve(Value(n));
        });
        return std::move(result);
    });
    auto result = run(schema, "mutation { a: step(n: 1) b: step(n: 2) c: step(n: 3) }");
    for (auto& worker : workers) worker.join();
    EXPECT_FALSE(overlapped);
    EXPECT_EQ(order, (std::vector<std::int64_t>{1, 2, 3}));
    EXPECT_EQ(result.to_json(), R"({"data":{"a":1,"b":2,"c":3}})");
}

TEST(Execute, DeferredErrorsCarryPathAndExtensions) {
    auto schema = build(kSdl);
    schema->set_resolver("Query", "slow", [](const ResolveInfo&) -> ResolverResult {
        auto [result, completer] = ResolverResult::deferred();
        std::thread([completer = completer] {
            completer.fail(FieldError{"denied", Value(ValueObject{{"code", Value("FORBIDDEN")}})});
        }).detach();
        return std::move(result);
    });
    auto result = run(schema, "{ x: slow(n: 1) }");
    EXPECT_EQ(result.to_json(),
              R"({"data":{"x":null},"errors":[{"message":"denied","locations":[{"line":1,"column":3}],"path":["x"],"extensions":{"code":"FORBIDDEN"}}]})");
}

TEST(Execute, ReportsOperationSelectionErrors) {
    auto schema = build(kSdl);
    EXPECT_EQ(run(schema, "query A { item { id } } query B { item { id } }").errors.size(), 1u);
    EXPECT_FALSE(run(schema, "query A { item { id } } query B { item { id } }").data);
}

TEST(Execute, AnswersIntrospection) {
    auto schema = build(kSdl);
    auto result = run(schema, R"({ __schema { queryType { name } mutationType { name } }
                                  __type(name: "In") { kind inputFields { name defaultValue type { kind ofType { name } } } } })");
    EXPECT_EQ(result.to_json(),
              R"({"data":{"__schema":{"queryType":{"name":"Query"},"mutationType":{"name":"Mutation"}},)"
              R"("__type":{"kind":"INPUT_OBJECT","inputFields":[{"name":"a","defaultValue":null,"type":{"kind":"NON_NULL","ofType":{"name":"Int"}}},)"
              R"({"name":"b","defaultValue":"[\"x\"]","type":{"kind":"LIST","ofType":{"name":"String"}}}]}}})");
}

TEST(Execute, SerializesScalarsLikeTheReference) {
    EXPECT_EQ(format_number(1.0), "1");
    EXPECT_EQ(format_number(0.1), "0.1");
    EXPECT_EQ(format_number(1e21), "1e+21");
    EXPECT_EQ(format_number(123456789012345680000.0), "123456789012345680000");
    EXPECT_EQ(format_number(1.5e-7), "1.5e-7");
    EXPECT_EQ(format_number(-0.000001), "-0.000001");
}

}  // namespace
}  // namespace orderstream::graphql
