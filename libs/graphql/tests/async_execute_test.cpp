#include <thread>

#include "test_support.hpp"

namespace orderstream::graphql {
namespace {

using testing::build;
using testing::json;
using testing::run;

// Every field defers: its value arrives from another thread after `delay_ms`, so completion order
// differs from document order and null propagation has to cancel work still in flight.
void defer_all(Schema& schema, std::vector<std::thread>& workers, std::mutex& mutex) {
    for (const Type* type : schema.types()) {
        if (type->kind != TypeKind::Object || type->name.starts_with("__")) continue;
        for (const auto& field : type->fields) {
            const std::string name = field.name;
            schema.set_resolver(type->name, name, [&, name](const ResolveInfo& info) -> ResolverResult {
                const Value* member = info.parent.find(name);
                Value value = member ? *member : Value();
                int delay_ms = 1;
                if (const Value* delay = info.parent.find("delay_" + name)) delay_ms = static_cast<int>(delay->as_int());
                auto [result, completer] = ResolverResult::deferred();
                std::lock_guard lock(mutex);
                workers.emplace_back([completer = completer, value = std::move(value), delay_ms]() mutable {
                    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
                    if (const Value* error = value.find("$error")) {
                        completer.fail(FieldError{error->as_string(), std::nullopt});
                    } else {
                        completer.resolve(std::move(value));
                    }
                });
                return std::move(result);
            });
        }
    }
}

const char* kSdl = R"(
  type Query { item: Item, items: [Item], strict: [Item!], other: Int }
  type Item { fast: Int!, slow: Int, child: Item }
)";

struct AsyncFixture : ::testing::Test {
    std::vector<std::thread> workers;
    std::mutex mutex;
    std::shared_ptr<Schema> schema = build(kSdl);
    void SetUp() override { defer_all(*schema, workers, mutex); }
    void TearDown() override {
        // Workers may still be running after the response (cancelled work): join them all.
        for (;;) {
            std::vector<std::thread> batch;
            {
                std::lock_guard lock(mutex);
                batch.swap(workers);
            }
            if (batch.empty()) break;
            for (auto& worker : batch) worker.join();
        }
    }
};

TEST_F(AsyncFixture, NullBubblesToNullableParentWhileSiblingsAreInFlight) {
    auto result = run(schema, "{ item { slow fast child { fast } } other }", Value(ValueObject{}),
                      json(R"({"other": 7, "item": {"fast": null, "slow": 1, "delay_slow": 30, "child": {"fast": 2}}})"));
    EXPECT_TRUE(result.to_json().starts_with(R"({"data":{"item":null,"other":7},"errors":[)")) << result.to_json();
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].path.size(), 2u);
}

TEST_F(AsyncFixture, ListItemsCompleteOutOfOrder) {
    auto result = run(schema, "{ items { fast slow } }", Value(ValueObject{}),
                      json(R"({"items": [{"fast": 1, "slow": 10, "delay_slow": 20}, {"fast": 2, "slow": 20}, null]})"));
    EXPECT_EQ(result.to_json(), R"({"data":{"items":[{"fast":1,"slow":10},{"fast":2,"slow":20},null]}})");
}

TEST_F(AsyncFixture, NonNullItemFailureNullsTheWholeList) {
    auto result = run(schema, "{ strict { fast } other }", Value(ValueObject{}),
                      json(R"({"other": 1, "strict": [{"fast": 1}, {"fast": {"$error": "late failure"}}]})"));
    EXPECT_TRUE(result.to_json().starts_with(R"({"data":{"strict":null,"other":1},"errors":[)")) << result.to_json();
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].message, "late failure");
}

TEST_F(AsyncFixture, DeepChainsResolve) {
    auto result = run(schema, "{ item { child { child { child { fast } } } } }", Value(ValueObject{}),
                      json(R"({"item": {"child": {"child": {"child": {"fast": 4}}}}})"));
    EXPECT_EQ(result.to_json(), R"({"data":{"item":{"child":{"child":{"child":{"fast":4}}}}}})");
}

}  // namespace
}  // namespace orderstream::graphql
