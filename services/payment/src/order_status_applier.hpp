#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include <grpcpp/channel.h>

#include "orderstream/pg/pool.hpp"

namespace orderstream::payment {

struct OrderStatusApplierOptions {
    std::chrono::milliseconds poll_interval{1000};
    std::chrono::milliseconds call_timeout{3000};
    std::chrono::milliseconds max_backoff{30'000};
};

// Applies the order status changes recorded by webhook deliveries to the order service,
// oldest first and one at a time per order, until each is applied or rejected. A change the
// order service cannot take right now (unreachable, timeout) stays pending and is retried
// with exponential backoff; one it refuses (an illegal transition, an unknown order) is kept
// as rejected with the reason. Several instances may run against one database: rows are
// claimed with FOR UPDATE SKIP LOCKED.
class OrderStatusApplier {
public:
    OrderStatusApplier(pg::Pool& pool, std::shared_ptr<grpc::Channel> orders, OrderStatusApplierOptions options = {});
    ~OrderStatusApplier();
    OrderStatusApplier(const OrderStatusApplier&) = delete;
    OrderStatusApplier& operator=(const OrderStatusApplier&) = delete;

    void Start();
    void Stop();
    // Wakes the worker now (a delivery has just scheduled a change).
    void Nudge();

    // Applies what is due once; returns how many rows were settled (applied or rejected).
    std::size_t RunOnce();

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace orderstream::payment
