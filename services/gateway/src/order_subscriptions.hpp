#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <variant>

#include "order.pb.h"
#include "order_status_change.hpp"
#include "orderstream/graphql/execution/source_stream.hpp"

namespace orderstream::gateway {

// How the gateway reads one order (pb.OrderService/GetOrder): a port, so the fan-out below has unit
// tests without a network.
class OrderDirectory {
public:
    using Reply = std::variant<pb::Order, graphql::FieldError>;
    virtual ~OrderDirectory() = default;
    // `done` runs once, on any thread.
    virtual void GetOrder(std::uint64_t order_id, std::function<void(Reply)> done) = 0;
};

struct OrderSubscriptionsOptions {
    std::size_t max_buffered_events = 64;  // per subscription, see graphql::SourceStreamOptions
};

// The order-status subscriptions of this gateway instance: each watches one order or every order of one
// account. A change somebody here watches is read once from the order service and pushed to every
// matching subscription — its Order as GetOrder returns it, with the status the change set — and the
// changes of one order reach each subscription in the order they were published.
class OrderSubscriptions : public std::enable_shared_from_this<OrderSubscriptions> {
public:
    OrderSubscriptions(OrderDirectory& directory, OrderSubscriptionsOptions options = {});

    // A stream of the changes of one order, or of every order of an account. It stays registered until
    // the subscriber cancels it, falls too far behind, or Forget() is called.
    std::shared_ptr<graphql::SourceStream> WatchOrder(std::uint64_t order_id);
    std::shared_ptr<graphql::SourceStream> WatchAccount(std::uint64_t account_id);
    // Unregisters a stream that was never handed to a subscriber (e.g. its authorisation check failed).
    void Forget(const std::shared_ptr<graphql::SourceStream>& stream);

    void Publish(const OrderStatusChange& change);

    std::size_t size() const;
    // Ends every stream and waits (up to `timeout`) for order reads still in flight.
    void Stop(std::chrono::milliseconds timeout);

    // The event value a subscription receives: {"order": Order} or {"error": {"message", "code"}}.
    static graphql::Value EventValue(const OrderDirectory::Reply& reply, const OrderStatusChange& change);

private:
    enum class Index { kOrder, kAccount };
    struct Key {
        Index index;
        std::uint64_t id;
    };
    using Streams = std::map<std::uint64_t, std::shared_ptr<graphql::SourceStream>>;  // by serial

    std::shared_ptr<graphql::SourceStream> Watch(Index index, std::uint64_t id);
    void Unregister(Index index, std::uint64_t id, std::uint64_t serial);
    bool WatchedLocked(const OrderStatusChange& change) const;
    void Deliver(std::uint64_t order_id, const OrderDirectory::Reply& reply);

    OrderDirectory& directory_;
    const OrderSubscriptionsOptions options_;
    mutable std::mutex mutex_;
    std::condition_variable reads_done_;
    std::unordered_map<std::uint64_t, Streams> by_order_;
    std::unordered_map<std::uint64_t, Streams> by_account_;
    std::unordered_map<const graphql::SourceStream*, std::pair<Key, std::uint64_t>> keys_;
    // Changes per order waiting to be delivered, while one read (then delivery) for that order runs.
    std::unordered_map<std::uint64_t, std::deque<OrderStatusChange>> queued_;
    std::size_t reads_in_flight_ = 0;
    std::uint64_t next_serial_ = 1;
    bool stopped_ = false;
};

}  // namespace orderstream::gateway
