#include "order_status_applier.hpp"

#include <algorithm>
#include <optional>

#include <spdlog/spdlog.h>

#include "order.grpc.pb.h"
#include "orderstream/core/log.hpp"
#include "orderstream/core/metrics.hpp"
#include "orderstream/rpc/client.hpp"

namespace orderstream::payment {

class OrderStatusApplier::Impl {
public:
    Impl(pg::Pool& pool, std::shared_ptr<grpc::Channel> orders, OrderStatusApplierOptions options)
        : pool_(pool), orders_(pb::OrderService::NewStub(std::move(orders))), options_(options) {
        // The oldest pending change of each order whose turn has come; later changes of
        // the same order wait behind it so statuses arrive in delivery order.
        pool_.Prepare("applier_claim",
                      "SELECT c.id, c.order_id, c.status, c.attempts, c.trace_id FROM order_status_changes c "
                      "WHERE c.state = 'pending' AND c.next_attempt_at <= now() AND NOT EXISTS ("
                      "SELECT 1 FROM order_status_changes e WHERE e.order_id = c.order_id "
                      "AND e.state = 'pending' AND e.id < c.id) "
                      "ORDER BY c.id LIMIT 20 FOR UPDATE SKIP LOCKED");
        pool_.Prepare("applier_settle",
                      "UPDATE order_status_changes SET state = $2, last_error = $3, attempts = attempts + 1, "
                      "applied_at = CASE WHEN $2 = 'applied' THEN now() END WHERE id = $1");
        pool_.Prepare("applier_retry_later",
                      "UPDATE order_status_changes SET attempts = attempts + 1, last_error = $2, "
                      "next_attempt_at = now() + $3 * interval '1 millisecond' WHERE id = $1");
        pool_.Prepare("applier_pending_count", "SELECT count(*) FROM order_status_changes WHERE state = 'pending'");
    }

    ~Impl() { Stop(); }

    void Start() {
        thread_ = std::thread([this] { Loop(); });
    }

    void Stop() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        if (thread_.joinable()) thread_.join();
    }

    void Nudge() {
        {
            std::lock_guard lock(mutex_);
            nudged_ = true;
        }
        wake_.notify_all();
    }

    std::size_t RunOnce() {
        return pool_.Transact([&](pqxx::work& tx) {
            std::size_t settled = 0;
            // After one call finds the order service unavailable the rest of the batch is
            // deferred without calling it again.
            std::optional<grpc::Status> unavailable;
            for (const auto& row : tx.exec_prepared("applier_claim")) {
                auto id = row["id"].as<std::int64_t>();
                auto order_id = row["order_id"].as<std::uint64_t>();
                auto status = row["status"].as<std::string>();
                auto attempts = row["attempts"].as<int>();
                // Under the checkout's trace: this line and the order role's call carry it.
                std::optional<log::RequestScope> trace;
                if (!row["trace_id"].is_null()) trace.emplace(row["trace_id"].as<std::string>());
                auto outcome = unavailable ? *unavailable : Apply(order_id, status);
                if (outcome.ok()) {
                    tx.exec_prepared0("applier_settle", id, "applied", nullptr);
                    spdlog::info("order {} marked {}", order_id, status);
                    applied_->Increment();
                    ++settled;
                } else if (outcome.error_code() == grpc::StatusCode::FAILED_PRECONDITION ||
                           outcome.error_code() == grpc::StatusCode::NOT_FOUND ||
                           outcome.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
                    tx.exec_prepared0("applier_settle", id, "rejected", outcome.error_message());
                    spdlog::warn("order {} cannot become {}: {}", order_id, status, outcome.error_message());
                    rejected_->Increment();
                    ++settled;
                } else {
                    unavailable = outcome;
                    auto delay = Backoff(attempts);
                    tx.exec_prepared0("applier_retry_later", id, outcome.error_message(),
                                      static_cast<std::int64_t>(delay.count()));
                    spdlog::warn("order {} -> {} deferred {} ms: {}", order_id, status, delay.count(),
                                 outcome.error_message());
                    retried_->Increment();
                }
            }
            pending_->Set(static_cast<double>(tx.exec_prepared1("applier_pending_count")[0].as<std::int64_t>()));
            return settled;
        });
    }

private:
    grpc::Status Apply(std::uint64_t order_id, const std::string& status) {
        auto call = rpc::ClientContextFor(nullptr, options_.call_timeout);
        pb::UpdateOrderStatusRequest request;
        request.set_orderid(order_id);
        request.set_status(status);
        google::protobuf::Empty response;
        return orders_->UpdateOrderStatus(call.get(), request, &response);
    }

    std::chrono::milliseconds Backoff(int attempts) const {
        auto delay = std::chrono::milliseconds(200) * (1LL << std::min(attempts, 10));
        return std::min<std::chrono::milliseconds>(delay, options_.max_backoff);
    }

    void Loop() {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            nudged_ = false;
            lock.unlock();
            std::size_t settled = 0;
            try {
                settled = RunOnce();
            } catch (const std::exception& e) {
                spdlog::warn("order status applier: {}", e.what());
            }
            lock.lock();
            // A full batch means more may be due right away.
            if (settled >= 20) continue;
            wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_ || nudged_; });
        }
    }

    pg::Pool& pool_;
    std::unique_ptr<pb::OrderService::Stub> orders_;
    OrderStatusApplierOptions options_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool nudged_ = false;
    std::thread thread_;
    metrics::Counter* applied_ = &metrics::Registry::Global().GetCounter(
        "orderstream_payment_order_updates_total", "Order status changes settled", {{"outcome", "applied"}});
    metrics::Counter* rejected_ = &metrics::Registry::Global().GetCounter(
        "orderstream_payment_order_updates_total", "Order status changes settled", {{"outcome", "rejected"}});
    metrics::Counter* retried_ = &metrics::Registry::Global().GetCounter(
        "orderstream_payment_order_update_retries_total", "Order status changes deferred for a retry", {});
    metrics::Gauge* pending_ = &metrics::Registry::Global().GetGauge(
        "orderstream_payment_order_updates_pending", "Order status changes waiting to be applied", {});
};

OrderStatusApplier::OrderStatusApplier(pg::Pool& pool, std::shared_ptr<grpc::Channel> orders,
                                       OrderStatusApplierOptions options)
    : impl_(std::make_unique<Impl>(pool, std::move(orders), options)) {}
OrderStatusApplier::~OrderStatusApplier() = default;
void OrderStatusApplier::Start() { impl_->Start(); }
void OrderStatusApplier::Stop() { impl_->Stop(); }
void OrderStatusApplier::Nudge() { impl_->Nudge(); }
std::size_t OrderStatusApplier::RunOnce() { return impl_->RunOnce(); }

}  // namespace orderstream::payment
