#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace orderstream::graphql::detail {

// The spec's BlockStringValue(): strips the common indentation and leading/trailing blank lines.
std::string dedent_block_string_lines(const std::vector<std::string>& lines);

}  // namespace orderstream::graphql::detail
