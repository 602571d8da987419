#include "orderstream/graphql/validation/validate.hpp"
#include "test_support.hpp"

namespace orderstream::graphql {
namespace {

using testing::build;
using testing::read_file;
using testing::seed_path;

std::vector<GraphQLError> check(const Schema& schema, const std::string& query) {
    auto parsed = parse(query);
    EXPECT_TRUE(parsed) << (parsed.error ? parsed.error->message : "");
    return parsed ? validate(schema, *parsed.document) : std::vector<GraphQLError>{};
}

TEST(SeedSchema, BuildsAndValidatesEverySeedOperation) {
    auto schema = build(read_file(seed_path("seed_schema.graphql")));
    ASSERT_TRUE(schema);
    const std::string operations = read_file(seed_path("seed_operations.graphql"));
    std::size_t start = 0, count = 0;
    while (start < operations.size()) {
        std::size_t end = operations.find("\n# ----\n", start);
        if (end == std::string::npos) end = operations.size();
        const std::string operation = operations.substr(start, end - start);
        const auto errors = check(*schema, operation);
        EXPECT_TRUE(errors.empty()) << operation << "\n" << (errors.empty() ? "" : errors[0].message);
        ++count;
        start = end + 8;
    }
    EXPECT_EQ(count, 12u);
}

TEST(SeedSchema, KeepsTheSeedsMisspelledInputNames) {
    auto schema = build(read_file(seed_path("seed_schema.graphql")));
    ASSERT_TRUE(schema);
    EXPECT_TRUE(schema->type("CustomerPortalSessionInput")->input_field("accounntId"));
    EXPECT_TRUE(schema->type("CheckoutInput")->input_field("accounId"));
    EXPECT_EQ(schema->type("Time")->kind, TypeKind::Scalar);
}

TEST(Validate, ReportsEachRuleViolationWithLocations) {
    auto schema = build(read_file(seed_path("seed_schema.graphql")));
    auto errors = check(*schema, "query Q($unused: Int) {\n  accounts(id: \"x\") { nope Orders }\n}");
    ASSERT_EQ(errors.size(), 4u);  // unused variable, bad Int literal, unknown field, Orders without selection
    for (const auto& error : errors) EXPECT_FALSE(error.locations.empty());
}

TEST(Validate, StopsAtTheErrorLimit) {
    auto schema = build(read_file(seed_path("seed_schema.graphql")));
    std::string query = "{";
    for (int i = 0; i < 500; ++i) query += " f" + std::to_string(i);
    query += " }";
    auto parsed = parse(query);
    ASSERT_TRUE(parsed);
    ValidationOptions options;
    options.max_errors = 10;
    const auto errors = validate(*schema, *parsed.document, options);
    EXPECT_EQ(errors.size(), 11u);
    EXPECT_NE(errors.back().message.find("Too many validation errors"), std::string::npos);
}

TEST(Validate, AcceptsGraphiqlStyleIntrospection) {
    auto schema = build(read_file(seed_path("seed_schema.graphql")));
    EXPECT_TRUE(check(*schema, "{ __schema { types { name fields(includeDeprecated: true) { name } } } }").empty());
    EXPECT_EQ(check(*schema, "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }").size(), 1u);
}

TEST(SchemaBuild, RejectsUnknownTypesAndDuplicates) {
    auto missing = Schema::from_sdl("type Query { a: Nope }");
    EXPECT_FALSE(missing.schema);
    ASSERT_FALSE(missing.errors.empty());
    EXPECT_EQ(missing.errors[0].locations[0], (SourceLocation{1, 17}));
    EXPECT_FALSE(Schema::from_sdl("type Query { a: Int } type Query { b: Int }").schema);
    EXPECT_FALSE(Schema::from_sdl("type Mutation { a: Int }").schema);  // no query root
    EXPECT_FALSE(Schema::from_sdl("type Query { a: Int").schema);       // syntax error
}

TEST(SchemaBuild, AppliesExtensionsAndDeprecation) {
    auto result = Schema::from_sdl(
        "type Query { a: Int @deprecated }\nextend type Query { b: String }\nenum E { X Y @deprecated(reason: \"r\") }");
    ASSERT_TRUE(result.schema);
    const Type* query = result.schema->query_type();
    ASSERT_TRUE(query->field("b"));
    EXPECT_EQ(query->field("a")->deprecation_reason.value_or(""), "No longer supported");
    EXPECT_EQ(result.schema->type("E")->enum_value("Y")->deprecation_reason.value_or(""), "r");
}

TEST(TimeScalar, AcceptsOnlyRfc3339DateTimes) {
    EXPECT_TRUE(is_rfc3339_date_time("2024-02-29T23:59:60.123+05:30"));
    EXPECT_TRUE(is_rfc3339_date_time("1999-01-01t00:00:00z"));
    EXPECT_FALSE(is_rfc3339_date_time("2023-02-29T00:00:00Z"));
    EXPECT_FALSE(is_rfc3339_date_time("2024-01-01 00:00:00Z"));
    EXPECT_FALSE(is_rfc3339_date_time("2024-01-01T24:00:00Z"));
    EXPECT_FALSE(is_rfc3339_date_time("2024-01-01T00:00:00"));
    EXPECT_FALSE(is_rfc3339_date_time("2024-01-01T00:00:00.Z"));
}

}  // namespace
}  // namespace orderstream::graphql
