#pragma once

#include <chrono>
#include <string>

namespace orderstream::time_format {

// RFC 3339 in UTC with `fraction_digits` (3 or 6) digits of seconds, e.g. 2026-11-24T01:30:25.123Z.
std::string Rfc3339Utc(std::chrono::system_clock::time_point time, int fraction_digits);

}  // namespace orderstream::time_format
