#include "orderstream/graphql/language/source.hpp"

#include <algorithm>

namespace orderstream::graphql {

SourceLocation Source::location_of(std::size_t offset) const {
    offset = std::min(offset, body_.size());
    std::uint32_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        const char c = body_[i];
        if (c == '\n' || (c == '\r' && !(i + 1 < body_.size() && body_[i + 1] == '\n'))) {
            ++line;
            line_start = i + 1;
        }
    }
    // Columns count UTF-16 code units so they agree with clients written in JavaScript:
    // every UTF-8 lead byte is one unit, four-byte sequences (outside the BMP) are two.
    std::uint32_t column = 1;
    for (std::size_t i = line_start; i < offset; ++i) {
        const auto byte = static_cast<unsigned char>(body_[i]);
        if ((byte & 0xC0) == 0x80) continue;
        column += byte >= 0xF0 ? 2 : 1;
    }
    return {line, column};
}

}  // namespace orderstream::graphql
