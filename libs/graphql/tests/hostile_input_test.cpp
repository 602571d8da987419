#include <chrono>
#include <random>

#include "orderstream/graphql/validation/validate.hpp"
#include "test_support.hpp"

namespace orderstream::graphql {
namespace {

using testing::build;
using testing::read_file;
using testing::seed_path;

// Runs the whole pipeline the gateway runs; must return, with errors or data, never crash or hang.
std::string pipeline(const std::shared_ptr<Schema>& schema, const std::string& text) {
    auto parsed = parse(text);
    if (!parsed) return parsed.error->message;
    auto errors = validate(*schema, *parsed.document);
    if (!errors.empty()) return errors.front().message;
    ExecutionRequest request;
    request.schema = schema;
    request.document = parsed.document;
    return execute(std::move(request)).to_json();
}

TEST(HostileInput, TruncatedDocumentsFailCleanly) {
    auto schema = build(read_file(seed_path("seed_schema.graphql")));
    const std::string operations = read_file(seed_path("seed_operations.graphql"));
    for (std::size_t length = 0; length < operations.size(); length += 7) {
        EXPECT_FALSE(pipeline(schema, operations.substr(0, length)).empty());
    }
}

TEST(HostileInput, RandomBytesFailCleanly) {
    auto schema = build(read_file(seed_path("seed_schema.graphql")));
    std::mt19937 random(42);
    for (int i = 0; i < 2000; ++i) {
        std::string bytes(random() % 64, '\0');
        for (auto& byte : bytes) byte = static_cast<char>(random() % 256);
        EXPECT_FALSE(pipeline(schema, bytes).empty());
    }
}

TEST(HostileInput, ExponentialFragmentsStayFast) {
    auto schema = build(read_file(seed_path("seed_schema.graphql")));
    // Each fragment spreads the next twice: naive expansion would visit 2^30 selections.
    std::string text = "{ accounts { ...F0 } }\n";
    for (int i = 0; i < 30; ++i) {
        text += "fragment F" + std::to_string(i) + " on Account { id ...F" + std::to_string(i + 1) + " ...F" +
                std::to_string(i + 1) + " }\n";
    }
    text += "fragment F30 on Account { name }\n";
    const auto start = std::chrono::steady_clock::now();
    pipeline(schema, text);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(HostileInput, DeepVariablesAreRejected) {
    std::string deep(100000, '[');
    Value value;
    std::string error;
    EXPECT_FALSE(parse_json(deep, value, error));
    EXPECT_FALSE(parse_json(std::string(1000, '[') + std::string(1000, ']'), value, error));
    EXPECT_TRUE(parse_json("[[[1]]]", value, error));
}

TEST(HostileInput, UnpairedSurrogatesAndInvalidUtf8AreRejected) {
    Value value;
    std::string error;
    EXPECT_FALSE(parse_json(R"({"email": "\udc00"})", value, error));
    EXPECT_EQ(error, "a string is not valid Unicode (an unpaired surrogate such as \\udc00?)");
    EXPECT_FALSE(parse_json(R"({"name": "a\ud800b"})", value, error));  // a high surrogate alone
    EXPECT_FALSE(parse_json(R"({"\udfff": 1})", value, error));
    EXPECT_EQ(error, "an object key is not valid Unicode (an unpaired surrogate such as \\udc00?)");
    EXPECT_FALSE(parse_json("{\"name\": \"\xC0\xAF\"}", value, error));  // overlong '/'
    EXPECT_FALSE(parse_json("{\"name\": \"\xED\xA0\x80\"}", value, error));  // a raw surrogate
    // A pair is one character (U+1F600), as is the same character written raw.
    ASSERT_TRUE(parse_json(R"({"smile": "\ud83d\ude00"})", value, error)) << error;
    EXPECT_EQ(value.find("smile")->as_string(), "\xF0\x9F\x98\x80");
    EXPECT_TRUE(parse_json("{\"smile\": \"\xF0\x9F\x98\x80\"}", value, error)) << error;
}

TEST(HostileInput, ADuplicateKeyIsRejectedWhicheverCopyWouldWin) {
    Value value;
    std::string error;
    EXPECT_FALSE(parse_json(R"({"query": "{ me { id } }", "query": "mutation { deleteProduct(id: \"1\") }"})", value,
                            error));
    EXPECT_EQ(error, "the key \"query\" appears twice in one object");
    EXPECT_FALSE(parse_json(R"({"variables": {"a": 1, "b": 2, "a": 3}})", value, error));
    EXPECT_TRUE(parse_json(R"({"a": {"x": 1}, "b": {"x": 2}})", value, error)) << error;  // one per object
}

TEST(HostileInput, HugeDocumentsHitTheTokenLimit) {
    std::string text = "{";
    for (int i = 0; i < 100000; ++i) text += " a";
    text += " }";
    auto parsed = parse(text);
    ASSERT_FALSE(parsed);
    EXPECT_NE(parsed.error->message.find("tokens"), std::string::npos);
}

TEST(HostileInput, ResolverExceptionsBecomeFieldErrors) {
    auto schema = build("type Query { a: Int b: Int }");
    schema->set_resolver("Query", "a", [](const ResolveInfo&) -> ResolverResult { throw std::runtime_error("boom"); });
    auto parsed = parse("{ a b }");
    ExecutionRequest request;
    request.schema = schema;
    request.document = parsed.document;
    request.root_value = Value(ValueObject{{"b", Value(2)}});
    EXPECT_EQ(execute(std::move(request)).to_json(),
              R"({"data":{"a":null,"b":2},"errors":[{"message":"boom","locations":[{"line":1,"column":3}],"path":["a"]}]})");
}

}  // namespace
}  // namespace orderstream::graphql
