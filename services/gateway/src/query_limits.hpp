#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "orderstream/graphql/language/ast.hpp"
#include "orderstream/graphql/type/schema.hpp"
#include "orderstream/graphql/value.hpp"

namespace orderstream::gateway {

// A list field that returns at most one item when `argument` is given (accounts(id:)).
struct SingleItemField {
    std::string type;
    std::string field;
    std::string argument;
};

struct QueryLimits {
    int max_depth = 12;
    int max_aliases = 50;
    std::int64_t max_cost = 5000;
    std::uint32_t max_tokens = 10000;
    std::vector<SingleItemField> single_item_fields = {{"Query", "accounts", "id"}, {"Query", "product", "id"}};
};

// Checks a validated operation against the limits: selection depth and aliases (fragments
// expanded), and cost — each field costs 1 (__typename nothing), a list field multiplies what
// is below it by the page its pagination.take asks for (0 or none: 10; capped at 100, as the
// services cap it), a single-item field counts once, introspection counts the fields it really
// resolves. Time is linear in the document: every fragment is measured once and reused, and
// the cost walk stops as soon as a partial cost passes the limit. Returns the message of the
// first limit exceeded.
std::optional<std::string> CheckLimits(const graphql::Schema& schema, const graphql::ast::Document& document,
                                       const graphql::ast::OperationDefinition& operation,
                                       const graphql::Value& variables, const QueryLimits& limits);

// The operation's cost as CheckLimits computes it; limits.max_cost + 1 when it is higher.
std::int64_t QueryCost(const graphql::Schema& schema, const graphql::ast::Document& document,
                       const graphql::ast::OperationDefinition& operation, const graphql::Value& variables,
                       const QueryLimits& limits);

}  // namespace orderstream::gateway
