// Mutation.createOrder, Mutation.cancelOrder, Query.order, Query.orders, Query.sales and
// Order.payments (Account.Orders and Order.payments are batched by their loaders).
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

bool IsAdmin(const auth::Claims& caller) { return caller.role == auth::Role::kAdmin; }

std::function<void(const grpc::Status&, pb::PostOrderResponse&)> ResolveWithOrder(graphql::Completer completer,
                                                                                   const char* method) {
    return [completer, method](const grpc::Status& status, pb::PostOrderResponse& response) {
        if (!status.ok()) return completer.fail(FromStatus(status, method));
        completer.resolve(OrderValue(response.order()));
    };
}

std::function<void(const grpc::Status&, pb::GetOrdersForAccountResponse&)> ResolveWithOrders(
    graphql::Completer completer, const char* method) {
    return [completer, method](const grpc::Status& status, pb::GetOrdersForAccountResponse& response) {
        if (!status.ok()) return completer.fail(FromStatus(status, method));
        graphql::ValueList orders;
        for (const auto& order : response.orders()) orders.push_back(OrderValue(order));
        completer.resolve(Value(std::move(orders)));
    };
}

std::optional<std::uint64_t> PositiveId(const ResolveInfo& info, const char* name, FieldError& error) {
    const auto* id = info.argument(name);
    if (id == nullptr || !id->is_int() || id->as_int() < 1) {
        error = FieldErrorWithCode(std::string(name) + " must be a positive id", code::kBadUserInput);
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(id->as_int());
}

ResolverResult ResolveOrder(const ResolveInfo& info) {
    auto& context = ContextOf(info);
    FieldError error;
    const auto* caller = RequireCaller(context, error);
    if (caller == nullptr) return error;
    auto id = PositiveId(info, "id", error);
    if (!id) return error;
    google::protobuf::UInt64Value request;
    request.set_value(*id);
    auto [result, completer] = ResolverResult::deferred();
    auto* stub = context.downstream.orders.get();
    bool admin = IsAdmin(*caller);
    auto account = caller->account_id;
    CallDownstream<pb::PostOrderResponse>(
        context, std::move(request),
        [stub](auto* c, const auto* r, auto* p, auto cb) { stub->async()->GetOrder(c, r, p, std::move(cb)); },
        [completer, admin, account](const grpc::Status& status, pb::PostOrderResponse& response) {
            if (!status.ok()) return completer.fail(FromStatus(status, "GetOrder"));
            if (!admin && response.order().accountid() != account) {
                return completer.fail(FieldErrorWithCode(
                    "order " + std::to_string(response.order().id()) + " is not yours", code::kForbidden));
            }
            completer.resolve(OrderValue(response.order()));
        });
    return std::move(result);
}

ResolverResult ResolveAllOrders(const ResolveInfo& info) {
    auto& context = ContextOf(info);
    FieldError error;
    const auto* caller = RequireCaller(context, error);
    if (caller == nullptr) return error;
    if (!IsAdmin(*caller)) return FieldErrorWithCode("listing every order needs the admin role", code::kForbidden);
    auto page = ReadPagination(info, error);
    if (!page) return error;
    pb::ListAllOrdersRequest request;
    request.set_skip(page->skip);
    request.set_take(page->take);
    auto [result, completer] = ResolverResult::deferred();
    auto* stub = context.downstream.orders.get();
    CallDownstream<pb::GetOrdersForAccountResponse>(
        context, std::move(request),
        [stub](auto* c, const auto* r, auto* p, auto cb) { stub->async()->ListAllOrders(c, r, p, std::move(cb)); },
        ResolveWithOrders(completer, "ListAllOrders"));
    return std::move(result);
}

ResolverResult ResolveSales(const ResolveInfo& info) {
    auto& context = ContextOf(info);
    FieldError error;
    const auto* caller = RequireCaller(context, error);
    if (caller == nullptr) return error;
    auto page = ReadPagination(info, error);
    if (!page) return error;
    pb::ListSalesRequest request;
    request.set_selleraccountid(caller->account_id);
    request.set_skip(page->skip);
    request.set_take(page->take);
    auto [result, completer] = ResolverResult::deferred();
    auto* stub = context.downstream.orders.get();
    CallDownstream<pb::GetOrdersForAccountResponse>(
        context, std::move(request),
        [stub](auto* c, const auto* r, auto* p, auto cb) { stub->async()->ListSales(c, r, p, std::move(cb)); },
        ResolveWithOrders(completer, "ListSales"));
    return std::move(result);
}

ResolverResult ResolveCancelOrder(const ResolveInfo& info) {
    auto& context = ContextOf(info);
    FieldError error;
    const auto* caller = RequireCaller(context, error);
    if (caller == nullptr) return error;
    auto id = PositiveId(info, "id", error);
    if (!id) return error;
    pb::CancelOrderRequest request;
    request.set_orderid(*id);
    request.set_accountid(caller->account_id);  // only the buyer's own order
    auto [result, completer] = ResolverResult::deferred();
    auto* stub = context.downstream.orders.get();
    CallDownstream<pb::PostOrderResponse>(
        context, std::move(request),
        [stub](auto* c, const auto* r, auto* p, auto cb) { stub->async()->CancelOrder(c, r, p, std::move(cb)); },
        ResolveWithOrder(completer, "CancelOrder"));
    return std::move(result);
}

// The buyer and admins see an order's payments; a seller looking at a sale does not.
ResolverResult ResolveOrderPayments(const ResolveInfo& info) {
    auto& context = ContextOf(info);
    FieldError error;
    const auto* caller = RequireCaller(context, error);
    if (caller == nullptr) return error;
    const auto* id = info.parent.find("id");
    const auto* buyer = info.parent.find("buyerId");
    if (id == nullptr || !id->is_int() || buyer == nullptr || !buyer->is_int()) {
        return FieldErrorWithCode("order has no id", code::kInternal);
    }
    if (!IsAdmin(*caller) && static_cast<std::uint64_t>(buyer->as_int()) != caller->account_id) {
        return FieldErrorWithCode("only the buyer sees an order's payments", code::kForbidden);
    }
    auto [result, completer] = ResolverResult::deferred();
    context.payments.Load(static_cast<std::uint64_t>(id->as_int()), completer);
    return std::move(result);
}

}  // namespace

void InstallOrderFields(graphql::Schema& schema) {
    schema.set_resolver("Mutation", "createOrder", ResolveCreateOrder);
    schema.set_resolver("Mutation", "cancelOrder", ResolveCancelOrder);
    schema.set_resolver("Query", "order", ResolveOrder);
    schema.set_resolver("Query", "orders", ResolveAllOrders);
    schema.set_resolver("Query", "sales", ResolveSales);
    schema.set_resolver("Order", "payments", ResolveOrderPayments);
}

}  // namespace orderstream::gateway
