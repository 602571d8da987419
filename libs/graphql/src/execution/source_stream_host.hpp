#pragma once

#include <memory>

#include "orderstream/graphql/execution/source_stream.hpp"

namespace orderstream::graphql::detail {

// A subscriber's stream travels through the deferred-result machinery as a host object with this tag.
inline constexpr std::uint32_t kSourceStreamTag = 0x5C0100;

inline Value source_stream_value(std::shared_ptr<SourceStream> stream) {
    if (!stream) return Value();
    return Value(HostObject{std::shared_ptr<const void>(std::move(stream)), kSourceStreamTag});
}

// The stream a subscriber's value carries; null when it carries none.
inline std::shared_ptr<SourceStream> source_stream_of(const Value& value) {
    if (!value.is_host() || value.as_host().tag != kSourceStreamTag) return nullptr;
    return std::static_pointer_cast<SourceStream>(std::const_pointer_cast<void>(value.as_host().object));
}

}  // namespace orderstream::graphql::detail
