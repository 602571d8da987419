#include "orderstream/core/worker_pool.hpp"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

#include <spdlog/spdlog.h>

namespace orderstream::concurrency {

WorkerPool::WorkerPool(WorkerPoolOptions options) : options_(std::move(options)) {
    auto count = std::max<std::size_t>(1, options_.threads);
    threads_.reserve(count);
    for (std::size_t i = 0; i < count; ++i) threads_.emplace_back([this, i] { Run(i); });
}

WorkerPool::~WorkerPool() { Stop(); }

bool WorkerPool::Submit(std::function<void()> job) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return false;
        if (options_.max_queued != 0 && jobs_.size() >= options_.max_queued) return false;
        jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
    return true;
}

void WorkerPool::Stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && threads_.empty()) return;
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& thread : threads_) {
        if (thread.joinable()) thread.join();
    }
    std::lock_guard lock(mutex_);
    threads_.clear();
}

std::size_t WorkerPool::queued() const {
    std::lock_guard lock(mutex_);
    return jobs_.size();
}

void WorkerPool::Run(std::size_t index) {
    auto name = options_.name.substr(0, 11) + "-" + std::to_string(index);
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
    if (options_.nice != 0) {
        // Per-thread on Linux: the nice value belongs to the thread id, not the process.
        auto tid = static_cast<id_t>(syscall(SYS_gettid));
        if (setpriority(PRIO_PROCESS, tid, getpriority(PRIO_PROCESS, tid) + options_.nice) != 0) {
            spdlog::debug("{}: could not lower the thread's priority", name);
        }
    }
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // stopping and drained
        {
            auto job = std::move(jobs_.front());
            jobs_.pop_front();
            lock.unlock();
            try {
                job();
            } catch (const std::exception& e) {
                spdlog::error("{}: job threw: {}", name, e.what());
            }
        }  // the job and what it holds are released before the lock is taken again
        lock.lock();
    }
}

}  // namespace orderstream::concurrency
