#pragma once

#include <chrono>

#include "downstream.hpp"
#include "order_subscriptions.hpp"

namespace orderstream::gateway {

// OrderDirectory over pb.OrderService/GetOrder, each read with its own deadline.
class GrpcOrderDirectory : public OrderDirectory {
public:
    GrpcOrderDirectory(pb::OrderService::Stub& orders, std::chrono::milliseconds timeout)
        : orders_(orders), timeout_(timeout) {}
    void GetOrder(std::uint64_t order_id, std::function<void(Reply)> done) override;

private:
    pb::OrderService::Stub& orders_;
    std::chrono::milliseconds timeout_;
};

}  // namespace orderstream::gateway
