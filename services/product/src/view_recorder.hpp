#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "orderstream/core/metrics.hpp"
#include "orderstream/pg/pool.hpp"

namespace orderstream::product {

// Turns product views into product_retrieved interaction events off the read path: Record()
// only queues (never blocks, drops with a metric when the queue is full) and a background
// thread writes batches to the outbox.
class ViewRecorder {
public:
    explicit ViewRecorder(pg::Pool& pool, std::size_t capacity = 10'000);
    ~ViewRecorder();  // writes what is queued, then stops
    ViewRecorder(const ViewRecorder&) = delete;
    ViewRecorder& operator=(const ViewRecorder&) = delete;

    void Record(std::int64_t account_id, const std::string& product_id);

private:
    struct View {
        std::int64_t account_id;
        std::string product_id;
        std::string request_id;
    };
    void Run();
    bool WriteBatch(const std::deque<View>& batch);

    pg::Pool& pool_;
    std::size_t capacity_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<View> queue_;
    bool stopping_ = false;
    metrics::Counter& dropped_;
    metrics::Counter& written_;
    std::thread thread_;
};

}  // namespace orderstream::product
