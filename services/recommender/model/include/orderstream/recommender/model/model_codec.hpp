#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "orderstream/core/error.hpp"
#include "orderstream/recommender/model/recommendation_model.hpp"

namespace orderstream::recommender {

// A RecommendationModel as bytes (to persist it in the database and serve it again after a
// restart) and back. The format is versioned; bytes that do not decode are an error, never a
// crash.
class ModelCodec {
public:
    static std::string Encode(const RecommendationModel& model);
    static Result<std::shared_ptr<const RecommendationModel>> Decode(std::string_view bytes);
};

}  // namespace orderstream::recommender
