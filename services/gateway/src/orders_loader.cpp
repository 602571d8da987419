#include "orders_loader.hpp"

#include "async_call.hpp"
#include "field_errors.hpp"
#include "values.hpp"

namespace orderstream::gateway {

void OrdersLoader::Load(std::uint64_t account_id, graphql::Completer completer) {
    batch_.Add(account_id, std::move(completer));
}

void OrdersLoader::Dispatch() {
    auto batch = batch_.Take();
    if (batch.empty()) return;
    pb::ListOrdersRequest request;
    for (const auto& [account_id, waiting] : batch) request.add_accountids(account_id);
    request.set_take(100);
    auto* stub = context_.downstream.orders.get();
    CallDownstream<pb::GetOrdersForAccountResponse>(
        context_, std::move(request),
        [stub](grpc::ClientContext* c, const pb::ListOrdersRequest* r, pb::GetOrdersForAccountResponse* p,
               std::function<void(grpc::Status)> cb) { stub->async()->ListOrders(c, r, p, std::move(cb)); },
        [batch = std::move(batch)](const grpc::Status& status, pb::GetOrdersForAccountResponse& response) {
            if (!status.ok()) return KeyBatch::Fail(batch, FromStatus(status, "ListOrders"));
            std::map<std::uint64_t, graphql::ValueList> by_account;
            for (const auto& order : response.orders()) by_account[order.accountid()].push_back(OrderValue(order));
            KeyBatch::Resolve(batch, [&](std::uint64_t account_id) { return graphql::Value(by_account[account_id]); });
        });
}

void PaymentsLoader::Dispatch() {
    auto batch = batch_.Take();
    if (batch.empty()) return;
    pb::ListPaymentsRequest request;
    for (const auto& [order_id, waiting] : batch) request.add_orderids(order_id);
    auto* stub = context_.downstream.payments.get();
    CallDownstream<pb::ListPaymentsResponse>(
        context_, std::move(request),
        [stub](grpc::ClientContext* c, const pb::ListPaymentsRequest* r, pb::ListPaymentsResponse* p,
               std::function<void(grpc::Status)> cb) { stub->async()->ListPayments(c, r, p, std::move(cb)); },
        [batch = std::move(batch)](const grpc::Status& status, pb::ListPaymentsResponse& response) {
            if (!status.ok()) return KeyBatch::Fail(batch, FromStatus(status, "ListPayments"));
            std::map<std::uint64_t, graphql::ValueList> by_order;
            for (const auto& payment : response.payments()) by_order[payment.orderid()].push_back(PaymentValue(payment));
            KeyBatch::Resolve(batch, [&](std::uint64_t order_id) { return graphql::Value(by_order[order_id]); });
        });
}

}  // namespace orderstream::gateway
