#pragma once

#include <chrono>

#include "account.grpc.pb.h"
#include "order.grpc.pb.h"
#include "order_book.hpp"
#include "orderstream/rpc/call.hpp"
#include "product.grpc.pb.h"

namespace orderstream::order {

// pb.OrderService: orders priced from the catalog on the server, an order state machine and
// idempotent creation. Payments reach orders through payment_events (order_payments.hpp).
class OrderService final : public pb::OrderService::Service {
public:
    OrderService(OrderBook& book, std::shared_ptr<grpc::Channel> accounts, std::shared_ptr<grpc::Channel> products,
                 std::chrono::milliseconds downstream_timeout);

    grpc::Status PostOrder(grpc::ServerContext* context, const pb::PostOrderRequest* request,
                           pb::PostOrderResponse* response) override;
    grpc::Status GetOrdersForAccount(grpc::ServerContext* context, const google::protobuf::UInt64Value* request,
                                     pb::GetOrdersForAccountResponse* response) override;
    grpc::Status UpdateOrderStatus(grpc::ServerContext* context, const pb::UpdateOrderStatusRequest* request,
                                   google::protobuf::Empty* response) override;
    grpc::Status GetOrder(grpc::ServerContext* context, const google::protobuf::UInt64Value* request,
                          pb::PostOrderResponse* response) override;
    grpc::Status ListOrders(grpc::ServerContext* context, const pb::ListOrdersRequest* request,
                            pb::GetOrdersForAccountResponse* response) override;
    grpc::Status CancelOrder(grpc::ServerContext* context, const pb::CancelOrderRequest* request,
                             pb::PostOrderResponse* response) override;
    grpc::Status ListAllOrders(grpc::ServerContext* context, const pb::ListAllOrdersRequest* request,
                               pb::GetOrdersForAccountResponse* response) override;
    grpc::Status ListSales(grpc::ServerContext* context, const pb::ListSalesRequest* request,
                           pb::GetOrdersForAccountResponse* response) override;

private:
    Status CheckAccountExists(grpc::ServerContext* context, std::uint64_t account_id);
    Result<std::map<std::string, CatalogEntry>> FetchCatalog(grpc::ServerContext* context,
                                                             const std::vector<CartLine>& lines);

    OrderBook& book_;
    std::unique_ptr<pb::AccountService::Stub> accounts_;
    std::unique_ptr<pb::ProductService::Stub> products_;
    std::chrono::milliseconds downstream_timeout_;
    // Only the gateway places and cancels orders, for the signed-in buyer; payment reads an
    // order while serving its buyer's checkout; statuses change through payment_events, and
    // by hand only with the operator's certificate.
    rpc::Method post_{"pb.OrderService/PostOrder", {{"gateway", "operator"}, rpc::UserCredential::kRequired}};
    rpc::Method for_account_{"pb.OrderService/GetOrdersForAccount",
                             {{"gateway", "operator"}, rpc::UserCredential::kRequired}};
    rpc::Method update_status_{"pb.OrderService/UpdateOrderStatus", {{"operator"}}};
    // With a user token: the buyer's or an admin's; the gateway's subscription feed reads one
    // order for all its watchers without one.
    rpc::Method get_{"pb.OrderService/GetOrder", {{"gateway", "payment", "operator"}}};
    rpc::Method list_{"pb.OrderService/ListOrders", {{"gateway", "operator"}, rpc::UserCredential::kRequired}};
    rpc::Method cancel_{"pb.OrderService/CancelOrder", {{"gateway", "operator"}, rpc::UserCredential::kRequired}};
    rpc::Method all_{"pb.OrderService/ListAllOrders", {{"gateway", "operator"}, rpc::UserCredential::kRequired}};
    rpc::Method sales_{"pb.OrderService/ListSales", {{"gateway", "operator"}, rpc::UserCredential::kRequired}};
};

}  // namespace orderstream::order
