#pragma once

#include <optional>
#include <string>

#include "orderstream/graphql/type/definition.hpp"

namespace orderstream::graphql::detail {

// The reference's print(astFromValue(value, type)): how introspection shows a default value.
std::optional<std::string> print_value_as_literal(const Value& value, const Type& type);

}  // namespace orderstream::graphql::detail
