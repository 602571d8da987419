#pragma once

#include <chrono>

#include "orderstream/core/polling_loop.hpp"
#include "orderstream/pg/pool.hpp"
#include "payment_provider.hpp"

namespace orderstream::payment {

struct RefundWorkerOptions {
    std::chrono::milliseconds poll_interval{1000};
    std::chrono::milliseconds max_backoff{300'000};
    // How long a claimed request is left to one instance before another may try it again.
    std::chrono::milliseconds lease{120'000};
};

// Sends the refunds the ledger queued (an admin's, or automatic ones for money that should not
// have been taken) to the provider. A request is claimed for a lease and sent outside any
// database transaction, so a slow provider never pins a connection or a row lock. A provider
// that cannot be reached is retried with backoff; one that refuses the refund marks it failed
// and records an anomaly, since money may still be held. Several instances may run at once.
class RefundWorker {
public:
    RefundWorker(pg::Pool& pool, PaymentProvider& provider, RefundWorkerOptions options = {});
    ~RefundWorker();
    RefundWorker(const RefundWorker&) = delete;
    RefundWorker& operator=(const RefundWorker&) = delete;

    void Start() { loop_.Start(); }
    void Stop() { loop_.Stop(); }
    void Nudge() { loop_.Nudge(); }
    // Sends what is due once; returns how many requests reached the provider.
    std::size_t RunOnce();

private:
    pg::Pool& pool_;
    PaymentProvider& provider_;
    RefundWorkerOptions options_;
    concurrency::PollingLoop loop_;
};

}  // namespace orderstream::payment
