#include "orderstream/core/polling_loop.hpp"

#include <spdlog/spdlog.h>

namespace orderstream::concurrency {

PollingLoop::PollingLoop(std::string name, std::chrono::milliseconds interval, std::function<void()> pass)
    : name_(std::move(name)), interval_(interval), pass_(std::move(pass)) {}

PollingLoop::~PollingLoop() { Stop(); }

void PollingLoop::Start() {
    std::lock_guard lock(mutex_);
    if (thread_.joinable() || stopping_) return;
    thread_ = std::thread([this] { Run(); });
}

void PollingLoop::Nudge() {
    {
        std::lock_guard lock(mutex_);
        nudged_ = true;
    }
    wake_.notify_all();
}

void PollingLoop::Stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void PollingLoop::Run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        nudged_ = false;
        lock.unlock();
        try {
            pass_();
        } catch (const std::exception& e) {
            spdlog::warn("{}: {}", name_, e.what());
        }
        lock.lock();
        wake_.wait_for(lock, interval_, [this] { return stopping_ || nudged_; });
    }
}

}  // namespace orderstream::concurrency
