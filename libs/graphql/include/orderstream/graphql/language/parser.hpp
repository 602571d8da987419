#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "orderstream/graphql/error/graphql_error.hpp"
#include "orderstream/graphql/language/ast.hpp"

namespace orderstream::graphql {

// Limits that keep hostile documents from exhausting time, memory or the stack.
struct ParseOptions {
    std::uint32_t max_tokens = 50'000;
    // Nesting of selection sets, list/object values and list types together.
    std::uint32_t max_depth = 128;
};

struct ParseResult {
    std::shared_ptr<const ast::Document> document;  // null when parsing failed
    std::optional<GraphQLError> error;
    explicit operator bool() const { return document != nullptr; }
};

// Parses an executable or type-system document (spec sections 2 and 3).
ParseResult parse(std::string source, const ParseOptions& options = {});

}  // namespace orderstream::graphql
