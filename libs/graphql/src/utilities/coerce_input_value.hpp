#pragma once

#include <functional>
#include <string>
#include <vector>

#include "orderstream/graphql/error/graphql_error.hpp"
#include "orderstream/graphql/type/definition.hpp"

namespace orderstream::graphql::detail {

// Called once per invalid part of the input: where it is (path inside the value), what it was, and why.
using InputErrorSink =
    std::function<void(const std::vector<PathSegment>& path, const Value& invalid, const std::string& message)>;

// The spec's input coercion of a JSON value (CoerceVariableValues, section 6.4.1) against `type`.
Value coerce_input_value(const Value& input, const Type& type, const InputErrorSink& on_error);

}  // namespace orderstream::graphql::detail
