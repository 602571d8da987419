#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace orderstream::concurrency {

struct WorkerPoolOptions {
    std::string name = "worker";  // thread name prefix (at most 11 characters show in `top`)
    std::size_t threads = 1;
    // Jobs waiting beyond the running ones; Submit refuses more. Zero: unbounded.
    std::size_t max_queued = 0;
    // Added to the threads' nice value (Linux): CPU-bound work yields to the threads that
    // serve sockets, health checks and deliveries when the machine is busy.
    int nice = 0;
};

// A fixed set of threads running submitted jobs in FIFO order. Used to keep CPU-heavy or
// blocking work off the threads that serve I/O.
class WorkerPool {
public:
    explicit WorkerPool(WorkerPoolOptions options);
    ~WorkerPool();  // Stop()
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // Queues `job`; false (and the job is not run) when the queue is full or the pool stopped.
    bool Submit(std::function<void()> job);
    // Runs what is already queued, then joins the threads. Idempotent.
    void Stop();

    std::size_t queued() const;

private:
    void Run(std::size_t index);

    WorkerPoolOptions options_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> jobs_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace orderstream::concurrency
