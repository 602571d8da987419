#include "orderstream/core/metrics.hpp"

#include <thread>

#include <gtest/gtest.h>

using orderstream::metrics::Registry;

namespace {

TEST(Metrics, CountersAreKeyedByLabels) {
    Registry registry;
    registry.GetCounter("rpc_total", "Calls.", {{"method", "Login"}, {"code", "OK"}}).Increment();
    registry.GetCounter("rpc_total", "Calls.", {{"method", "Login"}, {"code", "OK"}}).Increment(2);
    registry.GetCounter("rpc_total", "Calls.", {{"method", "Register"}, {"code", "OK"}}).Increment();
    auto text = registry.RenderText();
    EXPECT_NE(text.find("# HELP rpc_total Calls.\n# TYPE rpc_total counter\n"), std::string::npos);
    EXPECT_NE(text.find("rpc_total{method=\"Login\",code=\"OK\"} 3\n"), std::string::npos);
    EXPECT_NE(text.find("rpc_total{method=\"Register\",code=\"OK\"} 1\n"), std::string::npos);
}

TEST(Metrics, HistogramBucketsAreCumulative) {
    Registry registry;
    auto& h = registry.GetHistogram("latency_seconds", "Latency.", {{"m", "x"}}, {0.1, 1});
    h.Observe(0.05);
    h.Observe(0.5);
    h.Observe(0.5);
    h.Observe(7);
    EXPECT_EQ(h.BucketCounts(), (std::vector<std::uint64_t>{1, 3, 4}));
    auto text = registry.RenderText();
    EXPECT_NE(text.find("latency_seconds_bucket{m=\"x\",le=\"0.10000000000000001\"} 1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("latency_seconds_bucket{m=\"x\",le=\"+Inf\"} 4\n"), std::string::npos);
    EXPECT_NE(text.find("latency_seconds_count{m=\"x\"} 4\n"), std::string::npos);
    EXPECT_NE(text.find("latency_seconds_sum{m=\"x\"} 8.05"), std::string::npos);
}

TEST(Metrics, ConcurrentIncrementsAreNotLost) {
    Registry registry;
    auto& c = registry.GetCounter("c", "C.");
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 10000; ++i) registry.GetCounter("c", "C.").Increment();
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(c.Value(), 40000U);
}

TEST(Metrics, LabelValuesAreEscapedAndCollectorsRun) {
    Registry registry;
    registry.GetGauge("g", "G.", {{"q", "a\"b\\c\nd"}}).Set(2.5);
    registry.AddCollector("lag", "Lag.", [] { return 12.0; });
    auto text = registry.RenderText();
    EXPECT_NE(text.find("g{q=\"a\\\"b\\\\c\\nd\"} 2.5\n"), std::string::npos) << text;
    EXPECT_NE(text.find("lag 12\n"), std::string::npos);
    EXPECT_THROW(registry.GetCounter("g", "G."), std::logic_error);
}

}  // namespace
