// Mutation.createOrder (Account.Orders is batched by the OrdersLoader).
#include "async_call.hpp"
#include "field_errors.hpp"
#include "resolvers.hpp"
#include "values.hpp"

namespace orderstream::gateway {
namespace {

using graphql::FieldError;
using graphql::ResolveInfo;
using graphql::ResolverResult;
using graphql::Value;

ResolverResult ResolveCreateOrder(const ResolveInfo& info) {
    auto& context = ContextOf(info);
    FieldError error;
    const auto* caller = RequireCaller(context, error);
    if (caller == nullptr) return error;
    pb::PostOrderRequest request;
    // The account is the caller's; prices are the catalog's (the order service looks them up).
    request.set_accountid(caller->account_id);
    const auto* lines = info.argument("order")->find("products");
    for (const auto& line : lines->as_list()) {
        const auto* quantity = line.find("quantity");
        if (quantity == nullptr || !quantity->is_int() || quantity->as_int() < 1 || quantity->as_int() > 1000) {
            return FieldErrorWithCode("quantity must be between 1 and 1000", code::kBadUserInput);
        }
        auto* product = request.add_products();
        product->set_id(StringMember(line, "id"));
        product->set_quantity(static_cast<std::uint32_t>(quantity->as_int()));
    }
    if (const auto* key = info.argument("idempotencyKey"); key != nullptr && key->is_string()) {
        request.set_idempotencykey(key->as_string());
    }
    auto [result, completer] = ResolverResult::deferred();
    auto* stub = context.downstream.orders.get();
    CallDownstream<pb::PostOrderResponse>(
        context, std::move(request),
        [stub](auto* c, const auto* r, auto* p, auto cb) { stub->async()->PostOrder(c, r, p, std::move(cb)); },
        [completer](const grpc::Status& status, pb::PostOrderResponse& response) {
            if (!status.ok()) return completer.fail(FromStatus(status, "PostOrder"));
            completer.resolve(OrderValue(response.order()));
        });
    return std::move(result);
}

}  // namespace

void InstallOrderFields(graphql::Schema& schema) { schema.set_resolver("Mutation", "createOrder", ResolveCreateOrder); }

}  // namespace orderstream::gateway
