#pragma once

#include <string>
#include <string_view>

#include "orderstream/core/error.hpp"

namespace orderstream::events {

// The JSON document every event travels as (DESIGN.md, "Events"): the seed's
// {"type": ..., "data": {...}} plus a unique `id` (UUID v7) and `occurred_at` (RFC 3339, UTC).
struct Envelope {
    std::string id;
    std::string type;
    std::string occurred_at;
    std::string data;  // the "data" object as JSON text

    // A new envelope with a fresh id and the current time. `data_json` must be a JSON object.
    static Envelope Make(std::string type, std::string data_json);
};

// Compact JSON text; `data` is embedded verbatim.
std::string Serialize(const Envelope& envelope);

// Parses and validates untrusted bytes from Kafka; InvalidArgument names what is wrong.
Result<Envelope> ParseEnvelope(std::string_view json);

// True when `json` is one well-formed JSON object.
bool IsJsonObject(std::string_view json);

// The current UTC time as RFC 3339 with milliseconds, e.g. "2026-11-24T01:30:25.123Z".
std::string NowRfc3339();

// True for RFC 3339 date-time text ("2026-11-24T01:30:25Z", with optional fraction and offset).
bool IsRfc3339(std::string_view text);

}  // namespace orderstream::events
