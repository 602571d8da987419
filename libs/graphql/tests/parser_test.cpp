#include <gtest/gtest.h>

#include "orderstream/graphql/language/parser.hpp"
#include "orderstream/graphql/language/printer.hpp"

namespace orderstream::graphql {
namespace {

std::string reprint(const std::string& text) {
    auto result = parse(text);
    EXPECT_TRUE(result) << (result.error ? result.error->message : "");
    return result ? print(*result.document) : "";
}

SourceLocation error_location(const std::string& text, const ParseOptions& options = {}) {
    auto result = parse(text, options);
    EXPECT_FALSE(result);
    return result.error ? result.error->locations.at(0) : SourceLocation{};
}

TEST(Parser, PrintsShortQueryForm) { EXPECT_EQ(reprint("query { a b }"), "{\n  a\n  b\n}"); }

TEST(Parser, PrintsOperationWithVariablesAndDirectives) {
    EXPECT_EQ(reprint("query Q($a: [Int!]! = [1], $b: In = {x: 1}) @d { f(x: $a) @include(if: true) { ...F ... on T { g } } }"),
              "query Q($a: [Int!]! = [1], $b: In = {x: 1}) @d {\n  f(x: $a) @include(if: true) {\n    ...F\n    ... on T "
              "{\n      g\n    }\n  }\n}");
}

TEST(Parser, DecodesStringEscapes) {
    auto result = parse(R"({ f(a: "\u00e9\u{1F600}\uD83D\uDE00\n\"") })");
    ASSERT_TRUE(result);
    const auto& operation = std::get<ast::OperationDefinition>(result.document->definitions[0]);
    EXPECT_EQ(operation.selection_set.selections[0].arguments[0].value.string, "é😀😀\n\"");
}

TEST(Parser, DedentsBlockStrings) {
    auto result = parse("{ f(a: \"\"\"\n    hello\n      world\n  \"\"\") }");
    ASSERT_TRUE(result);
    const auto& operation = std::get<ast::OperationDefinition>(result.document->definitions[0]);
    EXPECT_EQ(operation.selection_set.selections[0].arguments[0].value.string, "hello\n  world");
}

TEST(Parser, ReportsSyntaxErrorLocations) {
    EXPECT_EQ(error_location("{"), (SourceLocation{1, 2}));
    EXPECT_EQ(error_location("{ a(x: 01) }"), (SourceLocation{1, 9}));
    EXPECT_EQ(error_location("{ a(x: 1.) }"), (SourceLocation{1, 10}));
    EXPECT_EQ(error_location("\n\n  ?"), (SourceLocation{3, 3}));
    EXPECT_EQ(error_location("{ a(x: \"\\x\") }"), (SourceLocation{1, 9}));
    EXPECT_EQ(error_location("{ a(x: \"é\\uD800\") }"), (SourceLocation{1, 10}));
    EXPECT_EQ(error_location(""), (SourceLocation{1, 1}));
    EXPECT_EQ(error_location("query ($x: Int = $y) { a }"), (SourceLocation{1, 18}));
}

TEST(Parser, EnforcesTokenAndDepthLimits) {
    ParseOptions options;
    options.max_tokens = 5;
    EXPECT_FALSE(parse("{ a b c d e f }", options));
    std::string deep;
    for (int i = 0; i < 10000; ++i) deep += "{a";
    auto result = parse(deep);
    ASSERT_FALSE(result);
    EXPECT_NE(result.error->message.find("depth"), std::string::npos);
    std::string deep_list = "{ f(a: " + std::string(10000, '[') + ") }";
    EXPECT_FALSE(parse(deep_list));
}

TEST(Parser, ParsesAndPrintsSchemaDefinitionLanguage) {
    const std::string sdl =
        "\"\"\"Doc\"\"\"\nschema {\n  query: Q\n}\n\n\"desc\"\ntype Q implements A & B @k {\n  f(a: Int = 1, b: [S!]): "
        "String @deprecated(reason: \"no\")\n}\n\nunion U = A | B\n\nenum E {\n  X\n  Y\n}\n\ninput I {\n  a: Int! = 3\n}\n\n"
        "directive @d(x: Int) repeatable on FIELD | QUERY\n\nextend type Q {\n  g: Int\n}\n\nscalar Time";
    EXPECT_EQ(reprint(sdl), sdl);
}

TEST(Parser, RejectsReservedEnumValues) { EXPECT_EQ(error_location("enum E { true }"), (SourceLocation{1, 10})); }

TEST(Parser, FindsTheRequestedOperation) {
    auto result = parse("query A { a } mutation B { b }");
    ASSERT_TRUE(result);
    EXPECT_EQ(ast::find_operation(*result.document, "B")->operation, ast::OperationType::Mutation);
    EXPECT_EQ(ast::find_operation(*result.document, ""), nullptr);
    EXPECT_EQ(ast::find_operation(*result.document, "C"), nullptr);
}

TEST(Parser, RejectsInvalidUtf8) { EXPECT_FALSE(parse(std::string("{ a(x: \"\xff\") }"))); }

}  // namespace
}  // namespace orderstream::graphql
