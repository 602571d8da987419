#pragma once

#include <cstddef>
#include <vector>

#include "orderstream/graphql/error/graphql_error.hpp"
#include "orderstream/graphql/language/ast.hpp"
#include "orderstream/graphql/type/schema.hpp"

namespace orderstream::graphql {

struct ValidationOptions {
    // Stops after this many errors so a hostile document cannot produce an unbounded response.
    std::size_t max_errors = 100;
};

// Runs every rule of spec section 5 (graphql-js's specifiedRules, including MaxIntrospectionDepth) in one
// pass over the document. An empty result means the document may be executed.
std::vector<GraphQLError> validate(const Schema& schema, const ast::Document& document,
                                   const ValidationOptions& options = {});

}  // namespace orderstream::graphql
