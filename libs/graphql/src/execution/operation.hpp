#pragma once

#include <string>
#include <vector>

#include "collect_fields.hpp"
#include "orderstream/graphql/error/graphql_error.hpp"
#include "orderstream/graphql/type/schema.hpp"

namespace orderstream::graphql::detail {

// GetOperation (spec 6.1): the operation `name` names, or the document's only one; null with a request error
// otherwise. Indexes the document's fragments into `fragments` on the way.
const ast::OperationDefinition* select_operation(const ast::Document& document, const std::string& name,
                                                 FragmentIndex& fragments, std::vector<GraphQLError>& errors);

// The root type an operation of this kind starts at; null when the schema has none.
const Type* root_type(const Schema& schema, ast::OperationType operation);

// "Schema is not configured to execute subscription operation." at the operation.
GraphQLError missing_root_type_error(const ast::Document& document, const ast::OperationDefinition& operation);

}  // namespace orderstream::graphql::detail
