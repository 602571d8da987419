#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "orderstream/graphql/value.hpp"

namespace orderstream::graphql {

// 1-based line and column, columns counted in UTF-16 code units as the spec's reference implementation does.
struct SourceLocation {
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

// One step of a response path: a response key or a list index.
using PathSegment = std::variant<std::string, std::int64_t>;

// The spec's error shape (section 7.1.2): message, locations, path and extensions.
struct GraphQLError {
    std::string message;
    std::vector<SourceLocation> locations;
    std::vector<PathSegment> path;
    std::optional<Value> extensions;
};

// Serialises an error to its JSON shape in spec order.
Value error_to_value(const GraphQLError& error);

}  // namespace orderstream::graphql
