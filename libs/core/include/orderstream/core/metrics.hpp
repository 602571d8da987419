#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace orderstream::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
public:
    void Increment(std::uint64_t by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
    std::uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

class Gauge {
public:
    void Set(double v) { value_.store(v, std::memory_order_relaxed); }
    void Add(double delta);
    double Value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0};
};

// Cumulative histogram with fixed upper bounds (seconds for latencies).
class Histogram {
public:
    explicit Histogram(std::vector<double> bounds);
    void Observe(double value);
    std::vector<std::uint64_t> BucketCounts() const;  // cumulative, one per bound, then +Inf
    double Sum() const;
    std::uint64_t Count() const;
    const std::vector<double>& Bounds() const { return bounds_; }

private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // per bucket (not cumulative), last is +Inf
    std::atomic<double> sum_{0};
};

// Latency buckets from 0.5 ms to 10 s.
std::vector<double> LatencyBuckets();

// A process-wide set of metric families, rendered in the Prometheus text format.
class Registry {
public:
    static Registry& Global();

    Counter& GetCounter(const std::string& name, const std::string& help, const Labels& labels = {});
    Gauge& GetGauge(const std::string& name, const std::string& help, const Labels& labels = {});
    Histogram& GetHistogram(const std::string& name, const std::string& help, const Labels& labels = {},
                            const std::vector<double>& bounds = LatencyBuckets());
    // A gauge computed at scrape time (e.g. outbox lag read from the database).
    void AddCollector(const std::string& name, const std::string& help, std::function<double()> collect);

    std::string RenderText() const;

private:
    enum class Kind { kCounter, kGauge, kHistogram };
    struct Family {
        Kind kind;
        std::string help;
        std::map<std::string, std::unique_ptr<Counter>> counters;  // keyed by rendered labels
        std::map<std::string, std::unique_ptr<Gauge>> gauges;
        std::map<std::string, std::unique_ptr<Histogram>> histograms;
        std::function<double()> collect;
    };
    Family& FamilyFor(const std::string& name, const std::string& help, Kind kind);

    mutable std::mutex mutex_;
    std::map<std::string, Family> families_;
};

// `{a="x",b="y"}` with values escaped per the exposition format; empty for no labels.
std::string RenderLabels(const Labels& labels);

}  // namespace orderstream::metrics
