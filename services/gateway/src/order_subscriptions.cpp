#include "order_subscriptions.hpp"

#include <vector>

#include "field_errors.hpp"
#include "orderstream/core/metrics.hpp"
#include "values.hpp"

namespace orderstream::gateway {
namespace {

struct SubscriptionMetrics {
    metrics::Gauge& active = metrics::Registry::Global().GetGauge(
        "gateway_subscriptions_active", "Order-status subscriptions registered on this instance.");
    metrics::Counter& pushed = metrics::Registry::Global().GetCounter(
        "gateway_subscription_events_total", "Order status changes pushed to subscriptions.");
    metrics::Counter& dropped = metrics::Registry::Global().GetCounter(
        "gateway_subscription_events_dropped_total",
        "Order status changes a subscription could not take (it fell too far behind and was ended).");
    metrics::Counter& unwatched = metrics::Registry::Global().GetCounter(
        "gateway_order_events_total", "order_events records read, by outcome.", {{"outcome", "unwatched"}});
    metrics::Counter& delivered = metrics::Registry::Global().GetCounter(
        "gateway_order_events_total", "order_events records read, by outcome.", {{"outcome", "delivered"}});
};

SubscriptionMetrics& Metrics() {
    static SubscriptionMetrics instance;
    return instance;
}

}  // namespace

OrderSubscriptions::OrderSubscriptions(OrderDirectory& directory, OrderSubscriptionsOptions options)
    : directory_(directory), options_(options) {}

std::shared_ptr<graphql::SourceStream> OrderSubscriptions::WatchOrder(std::uint64_t order_id) {
    return Watch(Index::kOrder, order_id);
}

std::shared_ptr<graphql::SourceStream> OrderSubscriptions::WatchAccount(std::uint64_t account_id) {
    return Watch(Index::kAccount, account_id);
}

std::shared_ptr<graphql::SourceStream> OrderSubscriptions::Watch(Index index, std::uint64_t id) {
    auto stream = std::make_shared<graphql::SourceStream>(
        graphql::SourceStreamOptions{.max_buffered = options_.max_buffered_events});
    std::uint64_t serial = 0;
    {
        std::lock_guard lock(mutex_);
        if (stopped_) {
            stream->close();
            return stream;
        }
        serial = next_serial_++;
        (index == Index::kOrder ? by_order_ : by_account_)[id].emplace(serial, stream);
        keys_.emplace(stream.get(), std::make_pair(Key{index, id}, serial));
    }
    Metrics().active.Add(1);
    stream->on_cancel([weak = weak_from_this(), index, id, serial] {
        if (auto self = weak.lock()) self->Unregister(index, id, serial);
    });
    return stream;
}

void OrderSubscriptions::Unregister(Index index, std::uint64_t id, std::uint64_t serial) {
    {
        std::lock_guard lock(mutex_);
        auto& by = index == Index::kOrder ? by_order_ : by_account_;
        auto streams = by.find(id);
        if (streams == by.end()) return;
        auto entry = streams->second.find(serial);
        if (entry == streams->second.end()) return;
        keys_.erase(entry->second.get());
        streams->second.erase(entry);
        if (streams->second.empty()) by.erase(streams);
    }
    Metrics().active.Add(-1);
}

void OrderSubscriptions::Forget(const std::shared_ptr<graphql::SourceStream>& stream) {
    std::optional<std::pair<Key, std::uint64_t>> key;
    {
        std::lock_guard lock(mutex_);
        auto found = keys_.find(stream.get());
        if (found != keys_.end()) key = found->second;
    }
    if (key) Unregister(key->first.index, key->first.id, key->second);
    stream->close();
}

std::size_t OrderSubscriptions::size() const {
    std::lock_guard lock(mutex_);
    return keys_.size();
}

bool OrderSubscriptions::WatchedLocked(const OrderStatusChange& change) const {
    return by_order_.count(change.order_id) != 0 || by_account_.count(change.account_id) != 0;
}

void OrderSubscriptions::Publish(const OrderStatusChange& change) {
    {
        std::lock_guard lock(mutex_);
        if (stopped_ || !WatchedLocked(change)) {
            Metrics().unwatched.Increment();
            return;
        }
        auto& queue = queued_[change.order_id];
        queue.push_back(change);
        // A read for this order is running: its delivery loop takes this change too, in order.
        if (queue.size() > 1) return;
        ++reads_in_flight_;
    }
    directory_.GetOrder(change.order_id, [weak = weak_from_this(), order_id = change.order_id](OrderDirectory::Reply reply) {
        if (auto self = weak.lock()) self->Deliver(order_id, reply);
    });
}

// One order's changes, in order: the order read once serves every change queued meanwhile (only the
// status differs between them, and each change says which status it set).
void OrderSubscriptions::Deliver(std::uint64_t order_id, const OrderDirectory::Reply& reply) {
    for (;;) {
        std::vector<std::shared_ptr<graphql::SourceStream>> targets;
        OrderStatusChange change;
        {
            std::lock_guard lock(mutex_);
            auto queue = queued_.find(order_id);
            if (queue->second.empty()) {
                queued_.erase(queue);
                if (--reads_in_flight_ == 0) reads_done_.notify_all();
                return;
            }
            // The change stays queued until delivered, so that Publish appends behind it.
            change = queue->second.front();
            if (auto found = by_order_.find(order_id); found != by_order_.end()) {
                for (const auto& [serial, stream] : found->second) targets.push_back(stream);
            }
            if (auto found = by_account_.find(change.account_id); found != by_account_.end()) {
                for (const auto& [serial, stream] : found->second) targets.push_back(stream);
            }
        }
        if (!targets.empty()) Metrics().delivered.Increment();
        auto event = EventValue(reply, change);
        for (const auto& stream : targets) {
            if (stream->push(event)) {
                Metrics().pushed.Increment();
            } else {
                Metrics().dropped.Increment();
            }
        }
        std::lock_guard lock(mutex_);
        queued_[order_id].pop_front();
    }
}

graphql::Value OrderSubscriptions::EventValue(const OrderDirectory::Reply& reply, const OrderStatusChange& change) {
    if (const auto* order = std::get_if<pb::Order>(&reply)) {
        pb::Order changed = *order;
        changed.set_status(change.to);
        return graphql::Value(graphql::ValueObject{{"order", OrderValue(changed)}});
    }
    const auto& error = std::get<graphql::FieldError>(reply);
    graphql::Value code = error.extensions ? *error.extensions : graphql::Value(graphql::ValueObject{});
    return graphql::Value(graphql::ValueObject{
        {"error", graphql::Value(graphql::ValueObject{{"message", graphql::Value(error.message)},
                                                      {"extensions", std::move(code)}})}});
}

void OrderSubscriptions::Stop(std::chrono::milliseconds timeout) {
    std::vector<std::shared_ptr<graphql::SourceStream>> streams;
    {
        std::unique_lock lock(mutex_);
        stopped_ = true;
        for (auto* by : {&by_order_, &by_account_}) {
            for (auto& [id, entries] : *by) {
                for (auto& [serial, stream] : entries) streams.push_back(stream);
            }
            by->clear();
        }
        keys_.clear();
    }
    Metrics().active.Add(-static_cast<double>(streams.size()));
    for (const auto& stream : streams) stream->close();
    std::unique_lock lock(mutex_);
    reads_done_.wait_for(lock, timeout, [&] { return reads_in_flight_ == 0; });
}

}  // namespace orderstream::gateway
