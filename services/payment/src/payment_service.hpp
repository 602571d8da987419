#pragma once

#include <chrono>
#include <memory>

#include "account.grpc.pb.h"
#include "customer_directory.hpp"
#include "ledger.hpp"
#include "order.grpc.pb.h"
#include "order_products.hpp"
#include "orderstream/rpc/call.hpp"
#include "payment.grpc.pb.h"
#include "payment_provider.hpp"
#include "refund_worker.hpp"
#include "return_url.hpp"

namespace orderstream::payment {

struct PaymentServiceDeps {
    pg::Pool& pool;
    PaymentProvider& provider;
    CustomerDirectory& customers;
    OrderProducts& order_products;
    Ledger& ledger;
    RefundWorker& refunds;
    ReturnUrlPolicy return_urls;
    std::shared_ptr<grpc::Channel> orders;
    std::shared_ptr<grpc::Channel> accounts;
    std::chrono::milliseconds downstream_timeout;
};

// pb.PaymentService: at most one open checkout per order, charging exactly the order's own
// total (from its line snapshot, never the catalog or the client), billed to the account's
// own name and email, returning only to the shop's origins; customer portals; refunds and the
// record of anomalies for admins.
class PaymentService final : public pb::PaymentService::Service {
public:
    explicit PaymentService(PaymentServiceDeps deps);

    grpc::Status CreateCheckoutSession(grpc::ServerContext* context, const pb::CheckoutRequest* request,
                                       google::protobuf::StringValue* response) override;
    grpc::Status CreateCustomerPortalSession(grpc::ServerContext* context, const pb::CustomerPortalRequest* request,
                                             google::protobuf::StringValue* response) override;
    grpc::Status ListPayments(grpc::ServerContext* context, const pb::ListPaymentsRequest* request,
                              pb::ListPaymentsResponse* response) override;
    grpc::Status RefundOrder(grpc::ServerContext* context, const pb::RefundOrderRequest* request,
                             pb::RefundOrderResponse* response) override;
    grpc::Status ListAnomalies(grpc::ServerContext* context, const pb::ListAnomaliesRequest* request,
                               pb::ListAnomaliesResponse* response) override;

private:
    Result<pb::Order> FetchOrder(grpc::ServerContext* context, std::uint64_t order_id);
    // The account's own billing identity (the client's name and email are never used).
    Result<CustomerRequest> BillingIdentity(grpc::ServerContext* context, std::uint64_t account_id);
    // The open checkout of the order, or a new one (the stale one closed), under the order's lock.
    Result<std::string> OpenCheckout(const pb::Order& order, const std::string& customer_id,
                                     const std::string& return_url);

    PaymentServiceDeps deps_;
    std::unique_ptr<pb::OrderService::Stub> orders_;
    std::unique_ptr<pb::AccountService::Stub> accounts_;
    rpc::MethodMetrics checkout_metrics_{"pb.PaymentService/CreateCheckoutSession"};
    rpc::MethodMetrics portal_metrics_{"pb.PaymentService/CreateCustomerPortalSession"};
    rpc::MethodMetrics list_metrics_{"pb.PaymentService/ListPayments"};
    rpc::MethodMetrics refund_metrics_{"pb.PaymentService/RefundOrder"};
    rpc::MethodMetrics anomalies_metrics_{"pb.PaymentService/ListAnomalies"};
};

// INVALID_ARGUMENT unless the client's cart (when given) asks for exactly the order's lines.
Status CheckCartMatchesOrder(const pb::CheckoutRequest& request, const pb::Order& order);

// What a checkout may charge for the order: its total, when there is one to pay.
Status CheckPayable(const pb::Order& order);

// The API's status of a transaction: pending, succeeded, failed, partially_refunded, refunded.
std::string PaymentStatusOf(const std::string& transaction_status);

}  // namespace orderstream::payment
