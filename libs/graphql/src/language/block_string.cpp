#include "block_string.hpp"

#include <cstddef>
#include <limits>

namespace orderstream::graphql::detail {

namespace {
std::size_t leading_whitespace(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    return i;
}
}  // namespace

std::string dedent_block_string_lines(const std::vector<std::string>& lines) {
    std::size_t common_indent = std::numeric_limits<std::size_t>::max();
    std::ptrdiff_t first_non_empty = -1;
    std::ptrdiff_t last_non_empty = -1;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::size_t indent = leading_whitespace(lines[i]);
        if (indent == lines[i].size()) continue;
        if (first_non_empty < 0) first_non_empty = static_cast<std::ptrdiff_t>(i);
        last_non_empty = static_cast<std::ptrdiff_t>(i);
        if (i != 0 && indent < common_indent) common_indent = indent;
    }
    std::string result;
    if (first_non_empty < 0) return result;
    for (auto i = first_non_empty; i <= last_non_empty; ++i) {
        const std::string& line = lines[static_cast<std::size_t>(i)];
        if (i != first_non_empty) result += '\n';
        if (i == 0) {
            result += line;
        } else if (common_indent < line.size()) {
            result.append(line, common_indent);
        }
    }
    return result;
}

}  // namespace orderstream::graphql::detail
