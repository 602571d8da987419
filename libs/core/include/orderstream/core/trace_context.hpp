#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace orderstream::trace {

// W3C Trace Context: the request id of a caller becomes the trace id that travels in HTTP
// and gRPC headers and Kafka records, so every log line a request causes carries one id.

// The header (HTTP, gRPC metadata, Kafka) name.
inline constexpr std::string_view kTraceparentHeader = "traceparent";

// The trace id to record for the current thread: its request id when that is a valid
// W3C trace id (32 lowercase hex, not all zeros), otherwise a fresh one.
std::string CurrentTraceId();

// "00-<trace id>-<parent id>-01". `parent_id` must be 16 hex characters.
std::string FormatTraceparent(std::string_view trace_id, std::string_view parent_id);

// The trace id of a traceparent header value, or nothing when it is malformed.
std::optional<std::string> ParseTraceparent(std::string_view header);

// A parent (span) id derived from an event id: the last 16 hex digits of the UUID, which
// are random in a UUID v7; stable, so a republished event carries the same header.
std::string ParentIdFromEventId(std::string_view event_id);

bool IsTraceId(std::string_view text);

}  // namespace orderstream::trace
