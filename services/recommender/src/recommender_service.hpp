#pragma once

#include "orderstream/rpc/call.hpp"
#include "recommender.grpc.pb.h"
#include "recommender.hpp"

namespace orderstream::recommender {

// pb.RecommenderService: checks the request, then asks the Recommender.
class RecommenderService final : public pb::RecommenderService::Service {
public:
    explicit RecommenderService(Recommender& recommender) : recommender_(recommender) {}

    grpc::Status GetRecommendations(grpc::ServerContext* context, const pb::RecommendationRequestForUserId* request,
                                    pb::RecommendationResponse* response) override;
    grpc::Status GetRecommendationsBasedOnViewed(grpc::ServerContext* context, const pb::RecommendationRequestOnViews* request,
                                                 pb::RecommendationResponse* response) override;

private:
    Recommender& recommender_;
    rpc::Method user_{"pb.RecommenderService/GetRecommendations",
                      {{"gateway", "operator"}, rpc::UserCredential::kRequired}};
    rpc::Method viewed_{"pb.RecommenderService/GetRecommendationsBasedOnViewed", {{"gateway", "operator"}}};
};

}  // namespace orderstream::recommender
