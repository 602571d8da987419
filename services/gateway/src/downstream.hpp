#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "account.grpc.pb.h"
#include "order.grpc.pb.h"
#include "payment.grpc.pb.h"
#include "product.grpc.pb.h"
#include "recommender.grpc.pb.h"

namespace orderstream::gateway {

// Where the services behind the gateway listen (ACCOUNT_URL, PRODUCT_URL, ...).
struct DownstreamAddresses {
    std::string account;
    std::string product;
    std::string order;
    std::string payment;
    std::string recommender;
};

// One channel per service, shared by the resolvers' stubs and the readiness probes.
struct Downstream {
    DownstreamAddresses addresses;
    struct Channel {
        const char* role;
        std::shared_ptr<grpc::Channel> channel;
    };
    std::vector<Channel> channels;  // account, product, order, payment, recommender
    std::unique_ptr<pb::AccountService::Stub> accounts;
    std::unique_ptr<pb::ProductService::Stub> products;
    std::unique_ptr<pb::OrderService::Stub> orders;
    std::unique_ptr<pb::PaymentService::Stub> payments;
    std::unique_ptr<pb::RecommenderService::Stub> recommender;
    std::chrono::milliseconds timeout{3000};  // per request, propagated as the gRPC deadline
};

Downstream ConnectDownstream(const DownstreamAddresses& addresses, std::chrono::milliseconds timeout);

}  // namespace orderstream::gateway
