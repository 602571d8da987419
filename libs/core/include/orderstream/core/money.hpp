#pragma once

#include <cstdint>
#include <string>

#include "orderstream/core/error.hpp"

namespace orderstream::money {

// The largest amount accepted from a client, in major units (1e9 USD).
inline constexpr double kMaxMajorUnits = 1'000'000'000.0;

// Converts a client-supplied amount in major units (the seed's Float price) to integer
// minor units. Rejects NaN, infinities, negatives, amounts over kMaxMajorUnits and any
// value with more than two decimals. `field` names the input in the error message.
// Exact: 19.99 maps to 1999 because the nearest double to 1999/100 is the double 19.99.
Result<std::int64_t> ParseMajorUnits(double amount, const std::string& field);

// Minor units back to the seed's Float at the API edge: the nearest double to cents/100.
double ToMajorUnits(std::int64_t minor_units);

// "19.99"-style text for logs, events and pages; negative amounts keep their sign.
std::string FormatMajorUnits(std::int64_t minor_units);

// Multiplies a unit price by a quantity, failing instead of overflowing.
Result<std::int64_t> Multiply(std::int64_t unit_minor_units, std::int64_t quantity);

}  // namespace orderstream::money
