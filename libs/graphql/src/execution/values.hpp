#pragma once

#include <optional>
#include <vector>

#include "orderstream/graphql/error/graphql_error.hpp"
#include "orderstream/graphql/type/schema.hpp"

namespace orderstream::graphql::detail {

// CoerceVariableValues (spec 6.4.1). Errors are returned, one per problem, capped at 50.
ValueObject coerce_variable_values(const Schema& schema, const ast::Document& document,
                                   const ast::OperationDefinition& operation, const Value& inputs,
                                   std::vector<GraphQLError>& errors);

// CoerceArgumentValues (spec 6.4.1). On failure returns nullopt and fills `error` (located at the node).
std::optional<ValueObject> coerce_argument_values(const std::vector<InputValue>& definitions,
                                                  const std::vector<ast::Argument>& arguments,
                                                  const ValueObject& variables, const ast::Document& document,
                                                  const ast::Loc& node_loc, GraphQLError& error);

// @skip/@include on a selection (spec 6.3.2).
bool should_include(const std::vector<ast::Directive>& directives, const ValueObject& variables);

}  // namespace orderstream::graphql::detail
