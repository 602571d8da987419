// Mutation.createCheckoutSession, Mutation.createCustomerPortalSession, Mutation.refundOrder
// and Query.paymentAnomalies.
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

// The seed's inputs carry an account id (spelled `accounId` and `accounntId`). Sessions are
// always for the caller: naming another account is FORBIDDEN rather than silently ignored.
std::optional<FieldError> CheckNamedAccount(const Value& input, std::string_view field, std::uint64_t caller) {
    const auto* named = input.find(field);
    if (named == nullptr || !named->is_int()) return std::nullopt;
    if (named->as_int() != static_cast<std::int64_t>(caller)) {
        return FieldErrorWithCode(std::string(field) + " must be the signed-in account", code::kForbidden);
    }
    return std::nullopt;
}

Value UrlValue(const google::protobuf::StringValue& url) {
    graphql::ValueObject object;
    object.emplace_back("url", Value(url.value()));
    return Value(std::move(object));
}

ResolverResult ResolveCreateCheckoutSession(const ResolveInfo& info) {
    auto& context = ContextOf(info);
    FieldError error;
    const auto* caller = RequireCaller(context, error);
    if (caller == nullptr) return error;
    const auto* details = info.argument("details");
    if (details == nullptr || !details->is_object()) {
        return FieldErrorWithCode("details are required", code::kBadUserInput);
    }
    if (auto forbidden = CheckNamedAccount(*details, "accounId", caller->account_id)) return *forbidden;
    const auto* order_id = details->find("orderId");
    if (order_id == nullptr || !order_id->is_int() || order_id->as_int() < 1) {
        return FieldErrorWithCode("orderId must be a positive order id", code::kBadUserInput);
    }
    pb::CheckoutRequest request;
    request.set_userid(caller->account_id);
    request.set_orderid(static_cast<std::uint64_t>(order_id->as_int()));
    request.set_name(StringMember(*details, "name"));
    request.set_email(StringMember(*details, "email"));
    request.set_redirecturl(StringMember(*details, "redirectUrl"));
    if (const auto* products = details->find("products"); products != nullptr && products->is_list()) {
        for (const auto& line : products->as_list()) {
            const auto* quantity = line.find("quantity");
            if (quantity == nullptr || !quantity->is_int() || quantity->as_int() < 1) {
                return FieldErrorWithCode("products.quantity must be a positive number", code::kBadUserInput);
            }
            auto* item = request.add_products();
            item->set_productid(StringMember(line, "id"));
            item->set_quantity(static_cast<std::uint64_t>(quantity->as_int()));
        }
    }
    auto [result, completer] = ResolverResult::deferred();
    auto* stub = context.downstream.payments.get();
    CallDownstream<google::protobuf::StringValue>(
        context, std::move(request),
        [stub](auto* c, const auto* r, auto* p, auto cb) { stub->async()->CreateCheckoutSession(c, r, p, std::move(cb)); },
        [completer](const grpc::Status& status, google::protobuf::StringValue& response) {
            if (!status.ok()) return completer.fail(FromStatus(status, "CreateCheckoutSession"));
            completer.resolve(UrlValue(response));
        });
    return std::move(result);
}

ResolverResult ResolveCreateCustomerPortalSession(const ResolveInfo& info) {
    auto& context = ContextOf(info);
    FieldError error;
    const auto* caller = RequireCaller(context, error);
    if (caller == nullptr) return error;
    const auto* credentials = info.argument("credentials");
    if (credentials == nullptr || !credentials->is_object()) {
        return FieldErrorWithCode("credentials are required", code::kBadUserInput);
    }
    if (auto forbidden = CheckNamedAccount(*credentials, "accounntId", caller->account_id)) return *forbidden;
    pb::CustomerPortalRequest request;
    request.set_userid(caller->account_id);
    request.set_name(StringMember(*credentials, "name"));
    request.set_email(StringMember(*credentials, "email"));
    auto [result, completer] = ResolverResult::deferred();
    auto* stub = context.downstream.payments.get();
    CallDownstream<google::protobuf::StringValue>(
        context, std::move(request),
        [stub](auto* c, const auto* r, auto* p, auto cb) {
            stub->async()->CreateCustomerPortalSession(c, r, p, std::move(cb));
        },
        [completer](const grpc::Status& status, google::protobuf::StringValue& response) {
            if (!status.ok()) return completer.fail(FromStatus(status, "CreateCustomerPortalSession"));
            completer.resolve(UrlValue(response));
        });
    return std::move(result);
}

const auth::Claims* RequireAdmin(RequestContext& context, FieldError& error, const char* what) {
    const auto* caller = RequireCaller(context, error);
    if (caller == nullptr) return nullptr;
    if (caller->role != auth::Role::kAdmin) {
        error = FieldErrorWithCode(std::string(what) + " needs the admin role", code::kForbidden);
        return nullptr;
    }
    return caller;
}

// Asks the provider for the refund, then answers with the order as it is now: still paid until
// the provider confirms (refund.succeeded) and the order service hears of it.
ResolverResult ResolveRefundOrder(const ResolveInfo& info) {
    auto& context = ContextOf(info);
    FieldError error;
    const auto* caller = RequireAdmin(context, error, "refunding an order");
    if (caller == nullptr) return error;
    const auto* id = info.argument("id");
    if (id == nullptr || !id->is_int() || id->as_int() < 1) {
        return FieldErrorWithCode("id must be a positive order id", code::kBadUserInput);
    }
    pb::RefundOrderRequest request;
    request.set_orderid(static_cast<std::uint64_t>(id->as_int()));
    request.set_requestedby(caller->account_id);
    if (const auto* reason = info.argument("reason"); reason != nullptr && reason->is_string()) {
        if (reason->as_string().size() > 1000) {
            return FieldErrorWithCode("reason must be at most 1,000 bytes", code::kBadUserInput);
        }
        request.set_reason(reason->as_string());
    }
    auto order_id = request.orderid();
    auto [result, completer] = ResolverResult::deferred();
    auto* payments = context.downstream.payments.get();
    auto* orders = context.downstream.orders.get();
    auto owner = context.shared_from_this();
    CallDownstream<pb::RefundOrderResponse>(
        context, std::move(request),
        [payments](auto* c, const auto* r, auto* p, auto cb) { payments->async()->RefundOrder(c, r, p, std::move(cb)); },
        [completer, orders, owner, order_id](const grpc::Status& status, pb::RefundOrderResponse&) {
            if (!status.ok()) return completer.fail(FromStatus(status, "RefundOrder"));
            google::protobuf::UInt64Value fetch;
            fetch.set_value(order_id);
            CallDownstream<pb::PostOrderResponse>(
                *owner, std::move(fetch),
                [orders](auto* c, const auto* r, auto* p, auto cb) { orders->async()->GetOrder(c, r, p, std::move(cb)); },
                [completer](const grpc::Status& fetched, pb::PostOrderResponse& response) {
                    if (!fetched.ok()) return completer.fail(FromStatus(fetched, "GetOrder"));
                    completer.resolve(OrderValue(response.order()));
                });
        });
    return std::move(result);
}

ResolverResult ResolvePaymentAnomalies(const ResolveInfo& info) {
    auto& context = ContextOf(info);
    FieldError error;
    if (RequireAdmin(context, error, "reading payment anomalies") == nullptr) return error;
    auto page = ReadPagination(info, error);
    if (!page) return error;
    pb::ListAnomaliesRequest request;
    request.set_skip(page->skip);
    request.set_take(page->take);
    auto [result, completer] = ResolverResult::deferred();
    auto* stub = context.downstream.payments.get();
    CallDownstream<pb::ListAnomaliesResponse>(
        context, std::move(request),
        [stub](auto* c, const auto* r, auto* p, auto cb) { stub->async()->ListAnomalies(c, r, p, std::move(cb)); },
        [completer](const grpc::Status& status, pb::ListAnomaliesResponse& response) {
            if (!status.ok()) return completer.fail(FromStatus(status, "ListAnomalies"));
            graphql::ValueList anomalies;
            for (const auto& anomaly : response.anomalies()) anomalies.push_back(AnomalyValue(anomaly));
            completer.resolve(Value(std::move(anomalies)));
        });
    return std::move(result);
}

}  // namespace

void InstallPaymentFields(graphql::Schema& schema) {
    schema.set_resolver("Mutation", "createCheckoutSession", ResolveCreateCheckoutSession);
    schema.set_resolver("Mutation", "createCustomerPortalSession", ResolveCreateCustomerPortalSession);
    schema.set_resolver("Mutation", "refundOrder", ResolveRefundOrder);
    schema.set_resolver("Query", "paymentAnomalies", ResolvePaymentAnomalies);
}

}  // namespace orderstream::gateway
