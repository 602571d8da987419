#include "view_recorder.hpp"

#include <spdlog/spdlog.h>

#include "orderstream/contracts/interaction_events.hpp"
#include "orderstream/core/log.hpp"

namespace orderstream::product {
namespace {

constexpr std::size_t kBatchSize = 500;

}  // namespace


ViewRecorder::ViewRecorder(pg::Pool& pool, std::size_t capacity)
    : pool_(pool),
      capacity_(capacity),
      dropped_(metrics::Registry::Global().GetCounter(
          "product_view_events_dropped_total", "Product views not recorded because the queue was full.")),
      written_(metrics::Registry::Global().GetCounter("product_view_events_written_total",
                                                      "product_retrieved events written to the outbox.")),
      thread_([this] { Run(); }) {}

ViewRecorder::~ViewRecorder() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void ViewRecorder::Record(std::int64_t account_id, const std::string& product_id) {
    {
        std::lock_guard lock(mutex_);
        if (queue_.size() >= capacity_) {
            dropped_.Increment();
            return;
        }
        queue_.push_back({account_id, product_id, log::CurrentRequestId()});
    }
    wake_.notify_one();
}

void ViewRecorder::Run() {
    auto backoff = std::chrono::milliseconds(100);
    while (true) {
        std::deque<View> batch;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty() && stopping_) return;
            while (!queue_.empty() && batch.size() < kBatchSize) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        if (WriteBatch(batch)) {
            backoff = std::chrono::milliseconds(100);
            continue;
        }
        // Put the batch back in front and wait before retrying; on shutdown give up.
        std::unique_lock lock(mutex_);
        if (stopping_) {
            dropped_.Increment(batch.size());
            return;
        }
        for (auto it = batch.rbegin(); it != batch.rend(); ++it) queue_.push_front(std::move(*it));
        wake_.wait_for(lock, backoff, [this] { return stopping_; });
        backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
    }
}

bool ViewRecorder::WriteBatch(const std::deque<View>& batch) {
    try {
        pool_.Transact([&](pqxx::work& tx) {
            for (const auto& view : batch) {
                log::RequestScope scope(view.request_id);
                contracts::Publish(tx, contracts::ProductViewed{std::to_string(view.account_id), view.product_id});
            }
        });
        written_.Increment(batch.size());
        return true;
    } catch (const std::exception& e) {
        spdlog::warn("writing {} product views failed, will retry: {}", batch.size(), e.what());
        return false;
    }
}

}  // namespace orderstream::product
