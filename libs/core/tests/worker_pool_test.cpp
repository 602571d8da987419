#include "orderstream/core/worker_pool.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <future>

#include <gtest/gtest.h>

namespace concurrency = orderstream::concurrency;

TEST(WorkerPool, RunsEveryJobAndDrainsOnStop) {
    std::atomic<int> ran{0};
    {
        concurrency::WorkerPool pool({.name = "test", .threads = 3});
        for (int i = 0; i < 200; ++i) ASSERT_TRUE(pool.Submit([&ran] { ran.fetch_add(1); }));
        pool.Stop();
        EXPECT_EQ(ran.load(), 200);
        EXPECT_FALSE(pool.Submit([&ran] { ran.fetch_add(1); }));
    }
    EXPECT_EQ(ran.load(), 200);
}

TEST(WorkerPool, RefusesJobsBeyondTheQueueBound) {
    concurrency::WorkerPool pool({.name = "test", .threads = 1, .max_queued = 2});
    std::promise<void> release;
    auto released = release.get_future().share();
    std::promise<void> started;
    ASSERT_TRUE(pool.Submit([&started, released] {
        started.set_value();
        released.wait();
    }));
    started.get_future().wait();  // the only thread is busy: what follows queues
    EXPECT_TRUE(pool.Submit([] {}));
    EXPECT_TRUE(pool.Submit([] {}));
    EXPECT_FALSE(pool.Submit([] {}));
    EXPECT_EQ(pool.queued(), 2U);
    release.set_value();
    pool.Stop();
    EXPECT_EQ(pool.queued(), 0U);
}

TEST(WorkerPool, LowersItsThreadsPriority) {
    auto own = getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)));
    concurrency::WorkerPool pool({.name = "test", .threads = 1, .nice = 5});
    std::promise<int> seen;
    ASSERT_TRUE(pool.Submit([&seen] { seen.set_value(getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)))); }));
    EXPECT_EQ(seen.get_future().get(), std::min(own + 5, 19));
}

TEST(WorkerPool, AThrowingJobDoesNotStopTheThread) {
    concurrency::WorkerPool pool({.name = "test", .threads = 1});
    ASSERT_TRUE(pool.Submit([] { throw std::runtime_error("boom"); }));
    std::promise<void> after;
    ASSERT_TRUE(pool.Submit([&after] { after.set_value(); }));
    EXPECT_EQ(after.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);
}
