#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <thread>

namespace orderstream::events {

// Exponential backoff with jitter (100 ms doubling up to a cap), so a broker or database
// outage costs a few wake-ups per second at most instead of a busy loop.
class Backoff {
public:
    explicit Backoff(std::chrono::milliseconds cap, std::chrono::milliseconds initial = std::chrono::milliseconds(100))
        : cap_(cap), initial_(initial), next_(initial) {}

    std::chrono::milliseconds Next() {
        auto current = next_;
        next_ = std::min(cap_, next_ * 2);
        std::uniform_int_distribution<long> jitter(0, current.count() / 4);
        return current + std::chrono::milliseconds(jitter(rng_));
    }
    void Reset() { next_ = initial_; }

private:
    std::chrono::milliseconds cap_;
    std::chrono::milliseconds initial_;
    std::chrono::milliseconds next_;
    std::minstd_rand rng_{std::random_device{}()};
};

// Sleeps for `duration` in short slices, returning early once `stopping` is set.
inline void SleepUnlessStopping(std::chrono::milliseconds duration, const std::atomic<bool>& stopping) {
    auto deadline = std::chrono::steady_clock::now() + duration;
    while (!stopping.load() && std::chrono::steady_clock::now() < deadline) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        std::this_thread::sleep_for(std::clamp(left, std::chrono::milliseconds(0), std::chrono::milliseconds(50)));
    }
}

}  // namespace orderstream::events
