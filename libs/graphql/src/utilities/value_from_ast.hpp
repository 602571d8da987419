#pragma once

#include <optional>

#include "orderstream/graphql/type/definition.hpp"

namespace orderstream::graphql::detail {

// The spec's literal coercion (valueFromAST): a document value as `type`, reading variables from
// `variables` (may be null). Returns nullopt when the literal is invalid for the type.
std::optional<Value> value_from_ast(const ast::ValueNode& literal, const Type& type, const ValueObject* variables);

const Value* find_variable(const ValueObject* variables, std::string_view name);

}  // namespace orderstream::graphql::detail
