#include "orderstream/core/polling_loop.hpp"

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

namespace concurrency = orderstream::concurrency;
using namespace std::chrono_literals;

namespace {

template <typename Predicate>
bool Within(std::chrono::milliseconds timeout, Predicate&& done) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
    return done();
}

}  // namespace

TEST(PollingLoop, ANudgeRunsThePassWithoutWaitingForTheInterval) {
    std::atomic<int> passes{0};
    concurrency::PollingLoop loop("test loop", std::chrono::hours(1), [&] { passes.fetch_add(1); });
    loop.Start();
    ASSERT_TRUE(Within(5s, [&] { return passes.load() == 1; }));  // the first pass runs at once
    loop.Nudge();
    EXPECT_TRUE(Within(5s, [&] { return passes.load() == 2; }));
    loop.Stop();  // returns although the interval is an hour
    EXPECT_EQ(passes.load(), 2);
}

TEST(PollingLoop, APassThatThrowsDoesNotEndTheLoop) {
    std::atomic<int> passes{0};
    concurrency::PollingLoop loop("test loop", 1ms, [&] {
        if (passes.fetch_add(1) == 0) throw std::runtime_error("the database went away");
    });
    loop.Start();
    EXPECT_TRUE(Within(5s, [&] { return passes.load() >= 3; }));
}

TEST(PollingLoop, StopBeforeStartAndTwiceIsHarmless) {
    std::atomic<int> passes{0};
    concurrency::PollingLoop loop("test loop", 1ms, [&] { passes.fetch_add(1); });
    loop.Stop();
    loop.Start();  // stopped: does not start
    loop.Stop();
    EXPECT_EQ(passes.load(), 0);
}
