#include "orders_loader.hpp"

#include "async_call.hpp"
#include "field_errors.hpp"
#include "values.hpp"

namespace orderstream::gateway {

void OrdersLoader::Load(std::uint64_t account_id, graphql::Completer completer) {
    std::lock_guard lock(mutex_);
    pending_[account_id].push_back(std::move(completer));
}

void OrdersLoader::Dispatch() {
    std::map<std::uint64_t, std::vector<graphql::Completer>> batch;
    {
        std::lock_guard lock(mutex_);
        batch.swap(pending_);
    }
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
            if (!status.ok()) {
                auto error = FromStatus(status, "ListOrders");
                for (const auto& [account_id, waiting] : batch) {
                    for (const auto& completer : waiting) completer.fail(error);
                }
                return;
            }
            std::map<std::uint64_t, graphql::ValueList> by_account;
            for (const auto& order : response.orders()) by_account[order.accountid()].push_back(OrderValue(order));
            for (const auto& [account_id, waiting] : batch) {
                const auto& orders = by_account[account_id];
                for (const auto& completer : waiting) completer.resolve(graphql::Value(orders));
            }
        });
}

}  // namespace orderstream::gateway
