#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "orderstream/graphql/language/ast.hpp"
#include "orderstream/graphql/type/schema.hpp"
#include "orderstream/graphql/value.hpp"

namespace orderstream::gateway {

struct QueryLimits {
    int max_depth = 12;
    int max_aliases = 50;
    std::int64_t max_cost = 5000;
    std::uint32_t max_tokens = 10000;
};

// Checks a validated operation against the limits: selection depth (fragments expanded),
// aliases, and cost — each field costs 1, and a list field multiplies what is below it by its
// pagination.take (or 10 when it has none). Returns the message of the first limit exceeded.
std::optional<std::string> CheckLimits(const graphql::Schema& schema, const graphql::ast::Document& document,
                                       const graphql::ast::OperationDefinition& operation,
                                       const graphql::Value& variables, const QueryLimits& limits);

}  // namespace orderstream::gateway
