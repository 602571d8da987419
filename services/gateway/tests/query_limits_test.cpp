#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "graphql_endpoint.hpp"
#include "orderstream/graphql/graphql.hpp"
#include "orderstream/graphql/language/printer.hpp"
#include "orderstream/graphql/validation/validate.hpp"
#include "query_limits.hpp"

namespace gateway = orderstream::gateway;
namespace graphql = orderstream::graphql;

namespace {

const std::shared_ptr<graphql::Schema>& Schema() {
    static auto schema = gateway::BuildGatewaySchema();
    return schema;
}

std::string ReadFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::optional<std::string> Check(const std::string& query, const gateway::QueryLimits& limits = {},
                                 graphql::Value variables = graphql::Value(graphql::ValueObject{})) {
    auto parsed = graphql::parse(query);
    EXPECT_TRUE(parsed) << query;
    if (!parsed) return "unparsable";
    EXPECT_TRUE(graphql::validate(*Schema(), *parsed.document).empty()) << query;
    const auto* operation = graphql::ast::find_operation(*parsed.document, "");
    return gateway::CheckLimits(*Schema(), *parsed.document, *operation, variables, limits);
}

std::int64_t Cost(const std::string& query, const gateway::QueryLimits& limits = {}) {
    auto parsed = graphql::parse(query);
    EXPECT_TRUE(parsed) << query;
    const auto* operation = graphql::ast::find_operation(*parsed.document, "");
    return gateway::QueryCost(*Schema(), *parsed.document, *operation, graphql::Value(graphql::ValueObject{}), limits);
}

// Every field of a result, counted the way the cost model charges them: each member of each
// object once, __typename never.
std::int64_t CountFields(const graphql::Value& value) {
    std::int64_t count = 0;
    if (value.is_object()) {
        for (const auto& [name, member] : value.as_object()) {
            if (name != "__typename") ++count;
            count += CountFields(member);
        }
    } else if (value.is_list()) {
        for (const auto& item : value.as_list()) count += CountFields(item);
    }
    return count;
}

// The seed's operations, split where the file separates them with "# ----".
std::vector<std::string> SeedOperations() {
    auto text = ReadFile(std::string(ORDERSTREAM_GRAPHQL_SEED_DIR) + "/seed_operations.graphql");
    std::vector<std::string> operations;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find("# ----", start);
        if (end == std::string::npos) end = text.size();
        auto operation = text.substr(start, end - start);
        if (operation.find('{') != std::string::npos) operations.push_back(operation);
        start = end + 6;
    }
    return operations;
}

// What Apollo Client sends: the same document with __typename in every selection set.
std::string WithTypename(const std::string& query) {
    static const std::string kTypename = "__typename";
    auto parsed = graphql::parse(query);
    EXPECT_TRUE(parsed);
    auto document = std::const_pointer_cast<graphql::ast::Document>(parsed.document);
    std::function<void(graphql::ast::SelectionSet&)> add = [&](graphql::ast::SelectionSet& set) {
        for (auto& selection : set.selections) {
            if (selection.has_selection_set) add(selection.selection_set);
        }
        graphql::ast::Selection field;
        field.name.value = kTypename;
        set.selections.push_back(std::move(field));
    };
    for (auto& definition : document->definitions) {
        if (auto* operation = std::get_if<graphql::ast::OperationDefinition>(&definition)) add(operation->selection_set);
    }
    return graphql::print(*document);
}

TEST(QueryLimits, EverySeedOperationPassesWithAndWithoutTypename) {
    auto operations = SeedOperations();
    ASSERT_GE(operations.size(), 10U);
    for (const auto& operation : operations) {
        EXPECT_FALSE(Check(operation)) << operation;
        auto apollo = WithTypename(operation);
        ASSERT_NE(apollo.find("__typename"), std::string::npos);
        EXPECT_FALSE(Check(apollo)) << apollo;
    }
}

TEST(QueryLimits, TypenameIsFreeAndASingleAccountCountsOnce) {
    EXPECT_EQ(Cost("{ me { id } }"), Cost("{ me { id __typename } __typename }"));
    // accounts(id:) returns at most one account: 1 + (3 fields + Orders (1 + 10 * 3)).
    auto one = Cost("{ accounts(id: 1) { id name email Orders { id totalPrice createdAt } } }");
    EXPECT_EQ(one, 1 + 3 + 1 + 10 * 3);
    // Without id it is a page of 10.
    EXPECT_EQ(Cost("{ accounts { id name email Orders { id totalPrice createdAt } } }"), 1 + 10 * (3 + 1 + 10 * 3));
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

TEST(QueryLimits, AliasesAreCountedAsTheyExpand) {
    gateway::QueryLimits limits;
    limits.max_aliases = 2;
    EXPECT_FALSE(Check("{ a: me { id } b: me { id } }", limits));
    auto many = Check("{ a: me { id } b: me { id } c: me { x: id } }", limits);
    ASSERT_TRUE(many);
    EXPECT_EQ(*many, "query uses 4 aliases; the limit is 2");
    // A fragment with one alias spread through two fields counts twice.
    auto spread = Check("{ me { ...A } x: me { ...A } } fragment A on Account { y: id }", limits);
    ASSERT_TRUE(spread);
    EXPECT_EQ(*spread, "query uses 3 aliases; the limit is 2");
}

TEST(QueryLimits, CostMultipliesListsByTheirPage) {
    gateway::QueryLimits limits;
    limits.max_cost = 1000;
    // 1 + 100 * (3 fields) = 301
    EXPECT_EQ(Cost("{ product(pagination: {skip: 0, take: 100}) { id name price } }", limits), 301);
    // The services cap a page at 100, so asking for more costs no more.
    EXPECT_EQ(Cost("{ product(pagination: {skip: 0, take: 900}) { id name price } }", limits), 301);
    // take 0 is the default page of 10.
    EXPECT_EQ(Cost("{ product(pagination: {skip: 0, take: 0}) { id name price } }", limits), 31);
    // accounts(take 100) -> Orders (10) -> products (10): far over 1000.
    auto costly = Check("{ accounts(pagination: {skip: 0, take: 100}) { Orders { products { id name } } } }", limits);
    ASSERT_TRUE(costly);
    EXPECT_EQ(*costly, "query costs more than 1000, the limit");
    graphql::Value variables(graphql::ValueObject{{"p", graphql::Value(graphql::ValueObject{
                                                             {"skip", graphql::Value(0)}, {"take", graphql::Value(90)}})}});
    EXPECT_FALSE(Check("query($p: PaginationInput) { product(pagination: $p) { id name price } }", limits, variables));
    limits.max_cost = 200;
    EXPECT_TRUE(Check("query($p: PaginationInput) { product(pagination: $p) { id name price } }", limits, variables));
}

// query { ...F0 } where every F_i spreads F_{i+1} twice: 2^levels fields once expanded. Measured
// fragment by fragment it is answered at once; walked naively it would never finish.
std::string FragmentBomb(int levels) {
    std::string query = "query Bomb { ...F0 }\n";
    for (int i = 0; i < levels; ++i) {
        query += "fragment F" + std::to_string(i) + " on Query { ...F" + std::to_string(i + 1) + " ...F" +
                 std::to_string(i + 1) + " }\n";
    }
    query += "fragment F" + std::to_string(levels) + " on Query { me { id } }\n";
    return query;
}

TEST(QueryLimits, AFragmentBombIsRefusedByItsCostWithoutExpandingIt) {
    auto small = Cost(FragmentBomb(5));
    EXPECT_EQ(small, 32 * 2);  // 2^5 copies of me { id }
    auto refused = Check(FragmentBomb(60));
    ASSERT_TRUE(refused);
    EXPECT_EQ(*refused, "query costs more than 5000, the limit");
}

TEST(QueryLimits, AFragmentBombOfAliasesIsRefusedByItsAliasCount) {
    auto query = FragmentBomb(60);
    query.replace(query.find("{ me { id } }"), 13, "{ a: me { id } }");
    auto refused = Check(query);
    ASSERT_TRUE(refused);
    EXPECT_NE(refused->find("aliases; the limit is 50"), std::string::npos) << *refused;
}

TEST(QueryLimits, IntrospectionCostsTheFieldsItResolves) {
    auto query = ReadFile(ORDERSTREAM_INTROSPECTION_QUERY);
    ASSERT_FALSE(query.empty());
    auto parsed = graphql::parse(query);
    ASSERT_TRUE(parsed);
    graphql::ExecutionRequest request;
    request.schema = Schema();
    request.document = parsed.document;
    auto result = graphql::execute(std::move(request));
    ASSERT_TRUE(result.errors.empty());
    ASSERT_TRUE(result.data);
    gateway::QueryLimits generous;
    generous.max_cost = 1'000'000;
    EXPECT_EQ(Cost(query, generous), CountFields(*result.data));
    // The playground's own introspection fits the default limit.
    auto verdict = Check(query);
    EXPECT_FALSE(verdict) << *verdict << " (costs " << Cost(query, generous) << ")";
}

TEST(QueryLimits, RepeatedIntrospectionIsRefused) {
    std::string repeated = "{";
    for (int i = 0; i < 40; ++i) repeated += " s" + std::to_string(i) + ": __schema { types { name fields { name } } }";
    repeated += " }";
    auto refused = Check(repeated);
    ASSERT_TRUE(refused);
    EXPECT_EQ(*refused, "query costs more than 5000, the limit");
    // One type by name is cheap.
    EXPECT_FALSE(Check("{ __type(name: \"Account\") { name fields { name type { name } } } }"));
}

}  // namespace
