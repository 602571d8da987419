#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "account.grpc.pb.h"
#include "order.grpc.pb.h"
#include "product.grpc.pb.h"

namespace orderstream::gateway {

// The services behind the gateway (ACCOUNT_URL, PRODUCT_URL, ORDER_URL).
struct Downstream {
    std::string account_address;
    std::string product_address;
    std::string order_address;
    std::unique_ptr<pb::AccountService::Stub> accounts;
    std::unique_ptr<pb::ProductService::Stub> products;
    std::unique_ptr<pb::OrderService::Stub> orders;
    std::chrono::milliseconds timeout{3000};  // per request, propagated as the gRPC deadline
};

Downstream ConnectDownstream(const std::string& account, const std::string& product, const std::string& order,
                             std::chrono::milliseconds timeout);

}  // namespace orderstream::gateway
