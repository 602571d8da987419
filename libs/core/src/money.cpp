#include "orderstream/core/money.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

namespace orderstream::money {

Result<std::int64_t> ParseMajorUnits(double amount, const std::string& field) {
    if (std::isnan(amount)) return Error::InvalidArgument(field + " must be a number, got NaN");
    if (std::isinf(amount)) return Error::InvalidArgument(field + " must be finite");
    if (amount < 0) return Error::InvalidArgument(field + " must not be negative");
    if (amount > kMaxMajorUnits) return Error::InvalidArgument(field + " must be at most 1000000000");
    double scaled = std::round(amount * 100.0);
    // Exactly representable (< 2^53), so the division is the correctly rounded decimal.
    if (scaled / 100.0 != amount) return Error::InvalidArgument(field + " must have at most two decimals");
    return static_cast<std::int64_t>(scaled);
}

double ToMajorUnits(std::int64_t minor_units) { return static_cast<double>(minor_units) / 100.0; }

std::string FormatMajorUnits(std::int64_t minor_units) {
    char buffer[32];
    auto magnitude = minor_units < 0 ? -static_cast<unsigned long long>(minor_units)
                                     : static_cast<unsigned long long>(minor_units);
    std::snprintf(buffer, sizeof buffer, "%s%llu.%02llu", minor_units < 0 ? "-" : "", magnitude / 100,
                  magnitude % 100);
    return buffer;
}

Result<std::int64_t> Multiply(std::int64_t unit_minor_units, std::int64_t quantity) {
    std::int64_t product = 0;
    if (__builtin_mul_overflow(unit_minor_units, quantity, &product)) {
        return Error::InvalidArgument("amount overflows");
    }
    return product;
}

}  // namespace orderstream::money
