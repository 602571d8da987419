#pragma once

#include <deque>
#include <functional>
#include <mutex>

namespace orderstream::graphql::detail {

// Runs tasks one at a time, in order, on whichever thread posts while no task is running. Resolver
// completions arrive from arbitrary threads; funnelling them through one strand per execution means the
// executor's state needs no further locking.
class Strand {
public:
    void run(std::function<void()> task) {
        {
            std::lock_guard lock(mutex_);
            if (running_) {
                queue_.push_back(std::move(task));
                return;
            }
            running_ = true;
        }
        task();
        drain();
    }

private:
    void drain() {
        for (;;) {
            std::function<void()> next;
            {
                std::lock_guard lock(mutex_);
                if (queue_.empty()) {
                    running_ = false;
                    return;
                }
                next = std::move(queue_.front());
                queue_.pop_front();
            }
            next();
        }
    }

    std::mutex mutex_;
    std::deque<std::function<void()>> queue_;
    bool running_ = false;
};

}  // namespace orderstream::graphql::detail
