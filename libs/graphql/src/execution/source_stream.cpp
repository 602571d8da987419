#include "orderstream/graphql/execution/source_stream.hpp"

#include <string>

#include "source_stream_host.hpp"

namespace orderstream::graphql {

bool SourceStream::push(Value event) {
    std::function<void()> hook;
    {
        std::lock_guard lock(mutex_);
        if (!accepting_) return false;
        if (events_.size() < options_.max_buffered) {
            events_.push_back(std::move(event));
        } else {
            // The subscriber is too far behind: it gets an error instead of an ever longer queue.
            accepting_ = false;
            dropped_ = true;
            events_.clear();
            end_ = FieldError{"the subscriber fell " + std::to_string(options_.max_buffered) +
                                  " events behind and was dropped",
                              std::nullopt};
            hook = std::move(cancel_hook_);
        }
    }
    if (hook) {
        hook();
        pump();
        return false;
    }
    pump();
    return true;
}

void SourceStream::close(std::optional<FieldError> error) {
    {
        std::lock_guard lock(mutex_);
        if (!accepting_) return;
        accepting_ = false;
        end_ = std::move(error);
        cancel_hook_ = nullptr;  // the producer ended it itself
    }
    pump();
}

void SourceStream::on_cancel(std::function<void()> hook) {
    {
        std::lock_guard lock(mutex_);
        if (accepting_) {
            cancel_hook_ = std::move(hook);
            return;
        }
        if (!dropped_) return;  // the producer closed it
    }
    hook();
}

bool SourceStream::accepting() const {
    std::lock_guard lock(mutex_);
    return accepting_;
}

void SourceStream::listen(Listener listener) {
    {
        std::lock_guard lock(mutex_);
        if (cancelled_) return;
        listener_ = std::make_shared<Listener>(std::move(listener));
    }
    pump();
}

void SourceStream::request() {
    {
        std::lock_guard lock(mutex_);
        demand_ = true;
    }
    pump();
}

void SourceStream::cancel() {
    std::function<void()> hook;
    std::shared_ptr<Listener> listener;
    std::deque<Value> dropped;
    {
        std::lock_guard lock(mutex_);
        if (cancelled_) return;
        cancelled_ = true;
        if (accepting_) {
            accepting_ = false;
            dropped_ = true;
            hook = std::move(cancel_hook_);
        }
        dropped.swap(events_);
        listener.swap(listener_);  // released outside the lock: it may own the subscriber
    }
    if (hook) hook();
}

void SourceStream::pump() {
    std::unique_lock lock(mutex_);
    if (delivering_) return;  // the thread delivering now picks up whatever changed
    delivering_ = true;
    while (!cancelled_ && listener_ && demand_) {
        std::shared_ptr<Listener> listener = listener_;
        if (!events_.empty()) {
            demand_ = false;
            Value event = std::move(events_.front());
            events_.pop_front();
            lock.unlock();
            listener->event(std::move(event));
            lock.lock();
            continue;
        }
        if (!end_) break;
        demand_ = false;
        std::optional<FieldError> error = std::move(*end_);
        listener_.reset();  // the end is delivered once; the listener may own the subscriber
        lock.unlock();
        listener->end(std::move(error));
        listener.reset();
        lock.lock();
    }
    delivering_ = false;
}

void StreamCompleter::resolve(std::shared_ptr<SourceStream> stream) const {
    completer_.resolve(detail::source_stream_value(std::move(stream)));
}

SubscribeResult::SubscribeResult(std::shared_ptr<SourceStream> stream)
    : result_(detail::source_stream_value(std::move(stream))) {}

}  // namespace orderstream::graphql
