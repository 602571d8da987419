#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace orderstream::pg {

// Array literals for parameters such as `$1::text[]` (every element quoted and escaped).
std::string TextArray(const std::vector<std::string>& items);
std::string BigintArray(const std::vector<std::int64_t>& items);

}  // namespace orderstream::pg
