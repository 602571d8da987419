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
    rpc::MethodMetrics post_metrics_{"pb.OrderService/PostOrder"};
    rpc::MethodMetrics for_account_metrics_{"pb.OrderService/GetOrdersForAccount"};
    rpc::MethodMetrics status_metrics_{"pb.OrderService/UpdateOrderStatus"};
    rpc::MethodMetrics get_metrics_{"pb.OrderService/GetOrder"};
    rpc::MethodMetrics list_metrics_{"pb.OrderService/ListOrders"};
    rpc::MethodMetrics cancel_metrics_{"pb.OrderService/CancelOrder"};
    rpc::MethodMetrics all_metrics_{"pb.OrderService/ListAllOrders"};
    rpc::MethodMetrics sales_metrics_{"pb.OrderService/ListSales"};
};

}  // namespace orderstream::order
