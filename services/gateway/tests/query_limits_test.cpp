#include <gtest/gtest.h>

#include "graphql_endpoint.hpp"
#include "orderstream/graphql/graphql.hpp"
#include "query_limits.hpp"

namespace gateway = orderstream::gateway;
namespace graphql = orderstream::graphql;

namespace {

std::optional<std::string> Check(const std::string& query, const gateway::QueryLimits& limits = {},
                                 graphql::Value variables = graphql::Value(graphql::ValueObject{})) {
    static auto schema = gateway::BuildGatewaySchema();
    auto parsed = graphql::parse(query);
    EXPECT_TRUE(parsed) << query;
    const auto* operation = graphql::ast::find_operation(*parsed.document, "");
    return gateway::CheckLimits(*schema, *parsed.document, *operation, variables, limits);
}

TEST(QueryLimits, SeedQueriesPass) {
    EXPECT_FALSE(Check("{ accounts(id: 1) { id name email Orders { id totalPrice createdAt products { id name price "
                       "quantity } } } }"));
    EXPECT_FALSE(Check("{ product(pagination: {skip: 0, take: 10}, query: \"headphones\") { id name price } }"));
    EXPECT_FALSE(Check("{ __schema { types { name fields { name type { name ofType { name ofType { name ofType { name "
                       "ofType { name ofType { name } } } } } } } } } }"));
}

TEST(QueryLimits, DepthCountsThroughFragments) {
    gateway::QueryLimits limits;
    limits.max_depth = 3;
    EXPECT_FALSE(Check("{ accounts { Orders { id } } }", limits));
    auto deep = Check("{ accounts { Orders { products { id } } } }", limits);
    ASSERT_TRUE(deep);
    EXPECT_EQ(*deep, "query is nested 4 levels deep; the limit is 3");
    EXPECT_TRUE(Check("query { accounts { ...A } } fragment A on Account { Orders { products { id } } }", limits));
}

TEST(QueryLimits, AliasesAreCounted) {
    gateway::QueryLimits limits;
    limits.max_aliases = 2;
    EXPECT_FALSE(Check("{ a: me { id } b: me { id } }", limits));
    auto many = Check("{ a: me { id } b: me { id } c: me { x: id } }", limits);
    ASSERT_TRUE(many);
    EXPECT_EQ(*many, "query uses 4 aliases; the limit is 2");
}

TEST(QueryLimits, CostMultipliesListsByTake) {
    gateway::QueryLimits limits;
    limits.max_cost = 1000;
    // 1 + 100 * (3 fields) = 301
    EXPECT_FALSE(Check("{ product(pagination: {skip: 0, take: 100}) { id name price } }", limits));
    // accounts(take 100) -> Orders (10) -> products (10): far over 1000.
    auto costly = Check("{ accounts(pagination: {skip: 0, take: 100}) { Orders { products { id name } } } }", limits);
    ASSERT_TRUE(costly);
    EXPECT_NE(costly->find("query costs"), std::string::npos);
    graphql::Value variables(graphql::ValueObject{{"p", graphql::Value(graphql::ValueObject{
                                                             {"skip", graphql::Value(0)}, {"take", graphql::Value(900)}})}});
    EXPECT_TRUE(Check("query($p: PaginationInput) { product(pagination: $p) { id name price } }", limits, variables));
}

}  // namespace
