#pragma once

#include <string>

#include "orderstream/graphql/type/definition.hpp"

// Leaf coercion of spec sections 3.5 and 3.9: result coercion (serialize) and input coercion from
// JSON variables (parse_value) and from document literals (parse_literal).
namespace orderstream::graphql::detail {

bool serialize_leaf(const Type& type, const Value& result, Value& out, std::string& error);
bool parse_leaf_value(const Type& type, const Value& input, Value& out, std::string& error);
bool parse_leaf_literal(const Type& type, const ast::ValueNode& literal, Value& out, std::string& error);

// Short rendering of a value for error messages, in the style of the reference implementation.
std::string inspect(const Value& value);

}  // namespace orderstream::graphql::detail
