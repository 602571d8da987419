#pragma once

#include <chrono>
#include <memory>

#include "customer_directory.hpp"
#include "ledger.hpp"
#include "order.grpc.pb.h"
#include "orderstream/rpc/call.hpp"
#include "payment.grpc.pb.h"
#include "payment_provider.hpp"
#include "product_mirror.hpp"

namespace orderstream::payment {

// pb.PaymentService: checkout sessions for the caller's own unpaid orders, priced from the
// order service (never from the client), and customer portal sessions.
class PaymentService final : public pb::PaymentService::Service {
public:
    PaymentService(PaymentProvider& provider, CustomerDirectory& customers, ProductMirror& mirror, Ledger& ledger,
                   std::shared_ptr<grpc::Channel> orders, std::chrono::milliseconds downstream_timeout);

    grpc::Status CreateCheckoutSession(grpc::ServerContext* context, const pb::CheckoutRequest* request,
                                       google::protobuf::StringValue* response) override;
    grpc::Status CreateCustomerPortalSession(grpc::ServerContext* context, const pb::CustomerPortalRequest* request,
                                             google::protobuf::StringValue* response) override;

private:
    Result<pb::Order> FetchOrder(grpc::ServerContext* context, std::uint64_t order_id);

    PaymentProvider& provider_;
    CustomerDirectory& customers_;
    ProductMirror& mirror_;
    Ledger& ledger_;
    std::unique_ptr<pb::OrderService::Stub> orders_;
    std::chrono::milliseconds downstream_timeout_;
    rpc::MethodMetrics checkout_metrics_{"pb.PaymentService/CreateCheckoutSession"};
    rpc::MethodMetrics portal_metrics_{"pb.PaymentService/CreateCustomerPortalSession"};
};

// INVALID_ARGUMENT unless `url` is an absolute http(s) URL of at most 2,000 bytes without
// spaces; `field` names the field in the message.
Status ValidateReturnUrl(const std::string& url, const char* field);

// INVALID_ARGUMENT unless the client's cart (when given) asks for exactly the order's lines.
Status CheckCartMatchesOrder(const pb::CheckoutRequest& request, const pb::Order& order);

}  // namespace orderstream::payment
