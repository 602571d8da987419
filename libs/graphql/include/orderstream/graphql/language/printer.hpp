#pragma once

#include <string>

#include "orderstream/graphql/language/ast.hpp"

namespace orderstream::graphql {

// Prints a document in the reference implementation's canonical layout.
std::string print(const ast::Document& document);
std::string print(const ast::ValueNode& value);
std::string print(const ast::TypeNode& type);

// String literal printing shared by the printer and introspection's defaultValue.
std::string print_string(std::string_view value);
std::string print_block_string(std::string_view value);

}  // namespace orderstream::graphql
