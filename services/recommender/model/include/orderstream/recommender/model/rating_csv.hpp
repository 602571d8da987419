#pragma once

#include <string>
#include <vector>

#include "orderstream/core/error.hpp"
#include "orderstream/recommender/model/rating_data.hpp"

namespace orderstream::recommender {

// Reads `user,item,rating` lines (a first line whose rating is not a number is a header).
// InvalidArgument names the file and line of the first malformed row.
Result<std::vector<RawRating>> ReadRatingsCsv(const std::string& path);

}  // namespace orderstream::recommender
