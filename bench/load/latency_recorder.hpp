#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

namespace orderstream::bench {

// Collects per-call latencies of one worker; merged at the end for percentiles.
class LatencyRecorder {
public:
    void Add(std::chrono::nanoseconds latency) { samples_.push_back(latency.count()); }
    void Merge(const LatencyRecorder& other) {
        samples_.insert(samples_.end(), other.samples_.begin(), other.samples_.end());
    }
    std::size_t Count() const { return samples_.size(); }
    // Percentile in milliseconds (p in 0..100); sorts in place.
    double PercentileMs(double p) {
        if (samples_.empty()) return 0;
        std::sort(samples_.begin(), samples_.end());
        auto index = static_cast<std::size_t>(p / 100.0 * static_cast<double>(samples_.size() - 1) + 0.5);
        return static_cast<double>(samples_[std::min(index, samples_.size() - 1)]) / 1e6;
    }

private:
    std::vector<std::int64_t> samples_;
};

}  // namespace orderstream::bench
