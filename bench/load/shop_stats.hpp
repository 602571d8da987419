#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "latency_recorder.hpp"

namespace orderstream::bench {

// What a shopper does. Pay is not drawn from the mix: it follows a checkout when --pay is on.
enum class Operation { kBrowse, kSearch, kView, kRecommend, kOrder, kCheckout, kPay };
inline constexpr std::size_t kOperationCount = 7;
inline constexpr std::array<std::string_view, kOperationCount> kOperationNames = {
    "browse", "search", "view", "recommend", "order", "checkout", "pay"};

inline std::string_view NameOf(Operation operation) { return kOperationNames[static_cast<std::size_t>(operation)]; }

inline std::optional<Operation> OperationNamed(std::string_view name) {
    for (std::size_t i = 0; i < kOperationCount; ++i) {
        if (kOperationNames[i] == name) return static_cast<Operation>(i);
    }
    return std::nullopt;
}

// Results of one operation kind: latencies of the successful calls, failures by kind with the
// first message of each kind as a sample.
struct OperationStats {
    struct Failures {
        std::uint64_t count = 0;
        std::string sample;
    };
    LatencyRecorder latencies;
    std::map<std::string, Failures> failures;

    std::uint64_t ok() const { return latencies.Count(); }
    std::uint64_t errors() const {
        std::uint64_t total = 0;
        for (const auto& [kind, failure] : failures) total += failure.count;
        return total;
    }
    void Merge(const OperationStats& other) {
        latencies.Merge(other.latencies);
        for (const auto& [kind, failure] : other.failures) {
            auto& mine = failures[kind];
            if (mine.count == 0) mine.sample = failure.sample;
            mine.count += failure.count;
        }
    }
};

// One virtual user's results. Only operations that start inside the measured window count,
// so warm-up traffic is discarded without any hand-off between threads.
class ShopStats {
public:
    using Clock = std::chrono::steady_clock;

    ShopStats(Clock::time_point measure_from, Clock::time_point measure_until)
        : from_(measure_from), until_(measure_until) {}

    void Success(Operation operation, Clock::time_point started) {
        if (Counts(started)) At(operation).latencies.Add(Clock::now() - started);
    }
    void Failure(Operation operation, Clock::time_point started, const std::string& kind, const std::string& message) {
        if (!Counts(started)) return;
        auto& failure = At(operation).failures[kind];
        if (failure.count++ == 0) failure.sample = message;
    }

    std::array<OperationStats, kOperationCount>& operations() { return operations_; }

private:
    bool Counts(Clock::time_point started) const { return started >= from_ && started < until_; }
    OperationStats& At(Operation operation) { return operations_[static_cast<std::size_t>(operation)]; }

    Clock::time_point from_;
    Clock::time_point until_;
    std::array<OperationStats, kOperationCount> operations_;
};

}  // namespace orderstream::bench
