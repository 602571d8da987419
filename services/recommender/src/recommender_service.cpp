#include "recommender_service.hpp"

#include <set>

#include "orderstream/core/money.hpp"
#include "orderstream/core/paging.hpp"

namespace orderstream::recommender {
namespace {

constexpr std::uint64_t kDefaultTake = 5;
constexpr std::uint64_t kMaxSkip = 10'000;
constexpr std::size_t kMaxIdBytes = 200;
constexpr int kMaxViewed = 100;

grpc::Status Invalid(const std::string& message) { return {grpc::StatusCode::INVALID_ARGUMENT, message}; }

grpc::Status CheckSkip(std::uint64_t skip) {
    if (skip > kMaxSkip) return Invalid("skip must be at most 10000");
    return grpc::Status::OK;
}

void Fill(pb::RecommendationResponse* response, const std::vector<ReplicaProduct>& products) {
    for (const auto& product : products) {
        auto* out = response->add_recommended_products();
        out->set_id(product.id);
        out->set_name(product.name);
        out->set_description(product.description);
        out->set_price(money::ToMajorUnits(product.price_cents));
        out->set_pricecents(product.price_cents);
        out->set_currency(product.currency);
        out->set_accountid(product.account_id);
    }
}

}  // namespace

grpc::Status RecommenderService::GetRecommendations(grpc::ServerContext* context,
                                                    const pb::RecommendationRequestForUserId* request,
                                                    pb::RecommendationResponse* response) {
    return rpc::Handle(context, user_, [&](const rpc::Caller& caller) {
        if (request->user_id().empty()) return Invalid("user_id must not be empty");
        if (request->user_id().size() > kMaxIdBytes) return Invalid("user_id must be at most 200 bytes");
        // What a user bought and viewed is theirs: another user's recommendations are refused.
        if (const auto& user = caller.user();
            user && !caller.Admin() && request->user_id() != std::to_string(user->account_id)) {
            return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                                "user_id " + request->user_id() + " is not the signed-in account");
        }
        if (auto skip = CheckSkip(request->skip()); !skip.ok()) return skip;
        Fill(response, recommender_.ForUser(request->user_id(), request->skip(),
                                            paging::Take(request->take(), kDefaultTake, paging::kMaxTake)));
        return grpc::Status::OK;
    });
}

grpc::Status RecommenderService::GetRecommendationsBasedOnViewed(grpc::ServerContext* context,
                                                                 const pb::RecommendationRequestOnViews* request,
                                                                 pb::RecommendationResponse* response) {
    return rpc::Handle(context, viewed_, [&](const rpc::Caller&) {
        if (request->ids_size() > kMaxViewed) return Invalid("ids must list at most 100 product ids");
        std::vector<std::string> viewed;
        std::set<std::string> seen;
        for (int k = 0; k < request->ids_size(); ++k) {
            const auto& id = request->ids(k);
            if (id.empty() || id.size() > kMaxIdBytes) {
                return Invalid("ids[" + std::to_string(k) + "] must be a non-empty product id of at most 200 bytes");
            }
            if (seen.insert(id).second) viewed.push_back(id);
        }
        if (auto skip = CheckSkip(request->skip()); !skip.ok()) return skip;
        Fill(response, recommender_.ForViewed(viewed, request->skip(),
                                              paging::Take(request->take(), kDefaultTake, paging::kMaxTake)));
        return grpc::Status::OK;
    });
}

}  // namespace orderstream::recommender
