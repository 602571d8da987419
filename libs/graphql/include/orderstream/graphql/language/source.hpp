#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "orderstream/graphql/error/graphql_error.hpp"

namespace orderstream::graphql {

// The text of a document. AST nodes keep byte offsets into it; it turns an offset into a line and column
// only when an error needs one (by scanning, so parsing pays nothing for it).
class Source {
public:
    explicit Source(std::string body) : body_(std::move(body)) {}

    std::string_view body() const { return body_; }
    SourceLocation location_of(std::size_t offset) const;

private:
    std::string body_;
};

}  // namespace orderstream::graphql
