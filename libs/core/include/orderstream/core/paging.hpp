#pragma once

#include <algorithm>
#include <cstdint>

namespace orderstream::paging {

inline constexpr std::uint64_t kDefaultTake = 10;
inline constexpr std::uint64_t kMaxTake = 100;

// The page size a list call uses: 0 means the default, anything above the maximum is capped.
constexpr std::uint64_t Take(std::uint64_t requested, std::uint64_t fallback = kDefaultTake,
                             std::uint64_t max = kMaxTake) {
    return requested == 0 ? fallback : std::min(requested, max);
}

// An offset that fits PostgreSQL's BIGINT.
constexpr std::int64_t Skip(std::uint64_t requested) {
    constexpr auto kMax = static_cast<std::uint64_t>(INT64_MAX);
    return static_cast<std::int64_t>(std::min(requested, kMax));
}

}  // namespace orderstream::paging
