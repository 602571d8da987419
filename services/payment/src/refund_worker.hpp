#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

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

    void Start();
    void Stop();
    void Nudge();
    // Sends what is due once; returns how many requests reached the provider.
    std::size_t RunOnce();

private:
    void Loop();

    pg::Pool& pool_;
    PaymentProvider& provider_;
    RefundWorkerOptions options_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool nudged_ = false;
    std::thread thread_;
};

}  // namespace orderstream::payment
