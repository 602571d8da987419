// Subscription.orderStatusChanged: its source stream (who may watch what) and each event's Order.
#include "async_call.hpp"
#include "field_errors.hpp"
#include "order_subscriptions.hpp"
#include "resolvers.hpp"

namespace orderstream::gateway {
namespace {

using graphql::FieldError;
using graphql::ResolveInfo;
using graphql::ResolverResult;
using graphql::SubscribeResult;
using graphql::Value;

FieldError NotYours() { return FieldErrorWithCode("you may only watch your own orders", code::kForbidden); }

// The caller's orders: one of theirs, or every one of theirs without orderId; an admin may name any
// order. Someone else's order and an order that does not exist look the same to a non-admin.
SubscribeResult SubscribeOrderStatusChanged(const ResolveInfo& info) {
    auto& context = ContextOf(info);
    if (context.order_subscriptions == nullptr) {
        return FieldErrorWithCode("subscriptions are served over WebSocket", code::kBadUserInput);
    }
    FieldError error;
    const auto* caller = RequireCaller(context, error);
    if (caller == nullptr) return error;
    auto subscriptions = context.order_subscriptions->shared_from_this();
    const auto* order_id = info.argument("orderId");
    if (order_id == nullptr || order_id->is_null()) return subscriptions->WatchAccount(caller->account_id);

    bool admin = caller->role == auth::Role::kAdmin;
    if (order_id->as_int() <= 0) {
        return admin ? FieldErrorWithCode("order " + std::to_string(order_id->as_int()) + " not found", code::kNotFound)
                     : NotYours();
    }
    auto id = static_cast<std::uint64_t>(order_id->as_int());
    // Registered before the check, so a change committed while it runs is not missed.
    auto stream = subscriptions->WatchOrder(id);
    auto [result, completer] = SubscribeResult::deferred();
    google::protobuf::UInt64Value request;
    request.set_value(id);
    auto* stub = context.downstream.orders.get();
    CallDownstream<pb::PostOrderResponse>(
        context, std::move(request),
        [stub](auto* c, const auto* r, auto* p, auto cb) { stub->async()->GetOrder(c, r, p, std::move(cb)); },
        [completer = completer, stream, subscriptions, account_id = caller->account_id, admin, id](
            const grpc::Status& status, pb::PostOrderResponse& response) {
            FieldError refusal;
            if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
                refusal = admin ? FieldErrorWithCode("order " + std::to_string(id) + " not found", code::kNotFound)
                                : NotYours();
            } else if (!status.ok()) {
                refusal = FromStatus(status, "GetOrder");
            } else if (!admin && response.order().accountid() != account_id) {
                refusal = NotYours();
            } else {
                return completer.resolve(stream);
            }
            subscriptions->Forget(stream);
            completer.fail(std::move(refusal));
        });
    return std::move(result);
}

// Each event carries the order as the order service returned it (with the status the change set), or
// why it could not be read.
ResolverResult ResolveOrderStatusChanged(const ResolveInfo& info) {
    if (const auto* order = info.parent.find("order")) return *order;
    if (const auto* error = info.parent.find("error")) {
        const auto* message = error->find("message");
        const auto* extensions = error->find("extensions");
        return FieldError{message && message->is_string() ? message->as_string() : "internal error",
                          extensions ? std::optional<Value>(*extensions) : std::nullopt};
    }
    return FieldErrorWithCode("orderStatusChanged is only delivered by a subscription", code::kBadUserInput);
}

}  // namespace

void InstallSubscriptionFields(graphql::Schema& schema) {
    schema.set_subscriber("orderStatusChanged", SubscribeOrderStatusChanged);
    schema.set_resolver("Subscription", "orderStatusChanged", ResolveOrderStatusChanged);
}

}  // namespace orderstream::gateway
