// Query.product and the product mutations.
#include <type_traits>

#include "async_call.hpp"
#include "field_errors.hpp"
#include "orderstream/core/money.hpp"
#include "resolvers.hpp"
#include "values.hpp"

namespace orderstream::gateway {
namespace {

using graphql::FieldError;
using graphql::ResolveInfo;
using graphql::ResolverResult;
using graphql::Value;

std::function<void(const grpc::Status&, pb::ProductResponse&)> ResolveWithProduct(graphql::Completer completer,
                                                                                   const char* method) {
    return [completer, method](const grpc::Status& status, pb::ProductResponse& response) {
        if (!status.ok()) return completer.fail(FromStatus(status, method));
        completer.resolve(ProductValue(response.product()));
    };
}

// Prices arrive as the seed's Float and are converted exactly at the edge.
std::optional<double> ReadPrice(const Value& input, FieldError& error) {
    const auto* price = input.find("price");
    double amount = price != nullptr && price->is_number() ? price->as_number() : 0;
    auto cents = money::ParseMajorUnits(amount, "price");
    if (!cents.ok()) {
        error = FieldErrorWithCode(cents.error().message, code::kBadUserInput);
        return std::nullopt;
    }
    return amount;
}

ResolverResult ListProducts(RequestContext& context, pb::GetProductsRequest request);

ResolverResult ResolveProducts(const ResolveInfo& info) {
    auto& context = ContextOf(info);
    auto* stub = context.downstream.products.get();
    if (const auto* id = info.argument("id"); id != nullptr && id->is_string()) {
        google::protobuf::StringValue request;
        request.set_value(id->as_string());
        Metadata metadata;
        if (context.caller) metadata.emplace_back("x-account-id", std::to_string(context.caller->account_id));
        auto [result, completer] = ResolverResult::deferred();
        CallDownstream<pb::ProductResponse>(
            context, std::move(request),
            [stub](auto* c, const auto* r, auto* p, auto cb) { stub->async()->GetProduct(c, r, p, std::move(cb)); },
            [completer](const grpc::Status& status, pb::ProductResponse& response) {
                if (!status.ok()) return completer.fail(FromStatus(status, "GetProduct"));
                completer.resolve(Value(graphql::ValueList{ProductValue(response.product())}));
            },
            metadata);
        return std::move(result);
    }
    FieldError error;
    auto page = ReadPagination(info, error);
    if (!page) return error;
    pb::GetProductsRequest request;
    request.set_skip(page->skip);
    request.set_take(page->take);
    if (const auto* query = info.argument("query"); query != nullptr && query->is_string()) {
        request.set_query(query->as_string());
    }
    return ListProducts(context, std::move(request));
}

ResolverResult ResolveMyProducts(const ResolveInfo& info) {
    auto& context = ContextOf(info);
    FieldError error;
    const auto* caller = RequireCaller(context, error);
    if (caller == nullptr) return error;
    auto page = ReadPagination(info, error);
    if (!page) return error;
    pb::GetProductsRequest request;
    request.set_skip(page->skip);
    request.set_take(page->take);
    request.set_owneraccountid(static_cast<std::int64_t>(caller->account_id));
    return ListProducts(context, std::move(request));
}

ResolverResult ListProducts(RequestContext& context, pb::GetProductsRequest request) {
    auto* stub = context.downstream.products.get();
    auto [result, completer] = ResolverResult::deferred();
    CallDownstream<pb::ProductsResponse>(
        context, std::move(request),
        [stub](auto* c, const auto* r, auto* p, auto cb) { stub->async()->GetProducts(c, r, p, std::move(cb)); },
        [completer](const grpc::Status& status, pb::ProductsResponse& response) {
            if (!status.ok()) return completer.fail(FromStatus(status, "GetProducts"));
            graphql::ValueList products;
            for (const auto& product : response.products()) products.push_back(ProductValue(product));
            completer.resolve(Value(std::move(products)));
        });
    return std::move(result);
}

// createProduct and updateProduct: the same input, checked the same way. The owner is
// whoever the token says, never a client-supplied id.
template <typename Request, typename Start>
ResolverResult WriteProduct(const ResolveInfo& info, const char* method, Start start) {
    auto& context = ContextOf(info);
    FieldError error;
    const auto* caller = RequireCaller(context, error);
    if (caller == nullptr) return error;
    const auto& input = *info.argument("product");
    auto price = ReadPrice(input, error);
    if (!price) return error;
    Request request;
    if constexpr (std::is_same_v<Request, pb::UpdateProductRequest>) request.set_id(StringMember(input, "id"));
    request.set_name(StringMember(input, "name"));
    request.set_description(StringMember(input, "description"));
    request.set_price(*price);
    request.set_accountid(static_cast<std::int64_t>(caller->account_id));
    auto [result, completer] = ResolverResult::deferred();
    CallDownstream<pb::ProductResponse>(context, std::move(request), start, ResolveWithProduct(completer, method));
    return std::move(result);
}

ResolverResult ResolveCreateProduct(const ResolveInfo& info) {
    auto* stub = ContextOf(info).downstream.products.get();
    return WriteProduct<pb::CreateProductRequest>(info, "PostProduct", [stub](auto* c, const auto* r, auto* p, auto cb) {
        stub->async()->PostProduct(c, r, p, std::move(cb));
    });
}

ResolverResult ResolveUpdateProduct(const ResolveInfo& info) {
    auto* stub = ContextOf(info).downstream.products.get();
    return WriteProduct<pb::UpdateProductRequest>(info, "UpdateProduct",
                                                  [stub](auto* c, const auto* r, auto* p, auto cb) {
                                                      stub->async()->UpdateProduct(c, r, p, std::move(cb));
                                                  });
}

// One call to the recommender; its replicas come back shaped like catalog products.
template <typename Request, typename Start>
ResolverResult AskRecommender(RequestContext& context, Request request, const char* method, Start start) {
    auto [result, completer] = ResolverResult::deferred();
    CallDownstream<pb::RecommendationResponse>(
        context, std::move(request), start,
        [completer, method](const grpc::Status& status, pb::RecommendationResponse& response) {
            if (!status.ok()) return completer.fail(FromStatus(status, method));
            graphql::ValueList products;
            for (const auto& replica : response.recommended_products()) {
                pb::Product product;
                product.set_id(replica.id());
                product.set_name(replica.name());
                product.set_description(replica.description());
                product.set_price(replica.price());
                product.set_accountid(replica.accountid());
                products.push_back(ProductValue(product));
            }
            completer.resolve(Value(std::move(products)));
        });
    return std::move(result);
}

// product(viewedProductsIds: [...]): products like the viewed ones, never one of them.
ResolverResult ResolveViewedRecommendations(const ResolveInfo& info, const graphql::ValueList& viewed) {
    FieldError error;
    auto page = ReadPagination(info, error);
    if (!page) return error;
    pb::RecommendationRequestOnViews request;
    for (const auto& id : viewed) {
        if (id.is_string()) request.add_ids(id.as_string());
    }
    request.set_skip(page->skip);
    request.set_take(page->take);
    auto& context = ContextOf(info);
    auto* stub = context.downstream.recommender.get();
    return AskRecommender(context, std::move(request), "GetRecommendationsBasedOnViewed",
                          [stub](auto* c, const auto* r, auto* p, auto cb) {
                              stub->async()->GetRecommendationsBasedOnViewed(c, r, p, std::move(cb));
                          });
}

// product(byAccountId: true): the signed-in caller's own recommendations.
ResolverResult ResolveAccountRecommendations(const ResolveInfo& info) {
    auto& context = ContextOf(info);
    FieldError error;
    const auto* caller = RequireCaller(context, error);
    if (caller == nullptr) return error;
    auto page = ReadPagination(info, error);
    if (!page) return error;
    pb::RecommendationRequestForUserId request;
    request.set_user_id(std::to_string(caller->account_id));
    request.set_skip(page->skip);
    request.set_take(page->take);
    auto* stub = context.downstream.recommender.get();
    return AskRecommender(context, std::move(request), "GetRecommendations",
                          [stub](auto* c, const auto* r, auto* p, auto cb) {
                              stub->async()->GetRecommendations(c, r, p, std::move(cb));
                          });
}

ResolverResult ResolveDeleteProduct(const ResolveInfo& info) {
    auto& context = ContextOf(info);
    FieldError error;
    const auto* caller = RequireCaller(context, error);
    if (caller == nullptr) return error;
    pb::DeleteProductRequest request;
    request.set_productid(info.argument("id")->as_string());
    request.set_accountid(static_cast<std::int64_t>(caller->account_id));
    auto [result, completer] = ResolverResult::deferred();
    auto* stub = context.downstream.products.get();
    CallDownstream<google::protobuf::Empty>(
        context, std::move(request),
        [stub](auto* c, const auto* r, auto* p, auto cb) { stub->async()->DeleteProduct(c, r, p, std::move(cb)); },
        [completer](const grpc::Status& status, google::protobuf::Empty&) {
            if (!status.ok()) return completer.fail(FromStatus(status, "DeleteProduct"));
            completer.resolve(Value(true));
        });
    return std::move(result);
}

}  // namespace

void InstallProductFields(graphql::Schema& schema) {
    schema.set_resolver("Query", "product", [](const ResolveInfo& info) -> ResolverResult {
        if (const auto* viewed = info.argument("viewedProductsIds"); viewed != nullptr && viewed->is_list()) {
            return ResolveViewedRecommendations(info, viewed->as_list());
        }
        if (const auto* by_account = info.argument("byAccountId");
            by_account != nullptr && by_account->is_bool() && by_account->as_bool()) {
            return ResolveAccountRecommendations(info);
        }
        return ResolveProducts(info);
    });
    schema.set_resolver("Mutation", "createProduct", ResolveCreateProduct);
    schema.set_resolver("Mutation", "updateProduct", ResolveUpdateProduct);
    schema.set_resolver("Mutation", "deleteProduct", ResolveDeleteProduct);
    schema.set_resolver("Query", "myProducts", ResolveMyProducts);
}

}  // namespace orderstream::gateway
