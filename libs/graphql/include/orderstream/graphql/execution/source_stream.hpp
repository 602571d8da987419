#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "orderstream/graphql/execution/resolver.hpp"
#include "orderstream/graphql/value.hpp"

namespace orderstream::graphql {

namespace detail {
class SubscriptionRun;
}

struct SourceStreamOptions {
    // Events pushed but not yet taken by the subscriber. One more ends the stream for the subscriber with an
    // error and makes push() return false: a subscriber that falls this far behind is dropped, never buffered
    // without bound.
    std::size_t max_buffered = 256;
};

// The source event stream of a subscription (spec 6.2.3.1, CreateSourceEventStream). A producer pushes events
// from any thread; the engine takes them one at a time, in push order, and executes the subscription's selection
// set for each (MapSourceToResponseEvent), taking the next only when the previous response was delivered.
// Either side may end it: the producer with close(), the subscriber by cancelling — after which the producer's
// on_cancel hook runs once and further pushes are refused.
class SourceStream {
public:
    explicit SourceStream(SourceStreamOptions options = {}) : options_(options) {}
    SourceStream(const SourceStream&) = delete;
    SourceStream& operator=(const SourceStream&) = delete;

    // Queues an event. False when the stream takes no more (closed, cancelled, or the subscriber fell
    // max_buffered events behind): the producer should forget the stream.
    bool push(Value event);
    // Ends the stream after the events already pushed; with `error`, the response stream ends with it.
    void close(std::optional<FieldError> error = std::nullopt);
    // Runs once, on the thread that cancels, when the subscriber stops listening or is dropped for falling
    // behind; at once when that already happened. Not run after the producer's own close().
    void on_cancel(std::function<void()> hook);
    // False once push() would refuse.
    bool accepting() const;

private:
    friend class detail::SubscriptionRun;
    struct Listener {
        std::function<void(Value event)> event;
        std::function<void(std::optional<FieldError> error)> end;
    };

    // Subscriber side, used by the engine: delivery starts with listen(); each request() lets one event (or
    // the end) through; after cancel() nothing more is delivered.
    void listen(Listener listener);
    void request();
    void cancel();
    // Delivers what the subscriber asked for, outside the lock, on one thread at a time.
    void pump();

    const SourceStreamOptions options_;
    mutable std::mutex mutex_;
    std::deque<Value> events_;
    std::optional<std::optional<FieldError>> end_;  // set once the stream ends for the subscriber
    std::shared_ptr<Listener> listener_;
    std::function<void()> cancel_hook_;
    bool accepting_ = true;
    bool cancelled_ = false;  // by the subscriber
    bool dropped_ = false;    // ended by the subscriber's side: cancelled, or too far behind
    bool demand_ = false;
    bool delivering_ = false;
};

// What a subscription root field's subscriber returns: its source stream now, an error now, or a deferred
// outcome that a StreamCompleter settles later from any thread (e.g. after an authorisation check).
class StreamCompleter {
public:
    explicit StreamCompleter(Completer completer) : completer_(std::move(completer)) {}
    void resolve(std::shared_ptr<SourceStream> stream) const;
    void fail(FieldError error) const { completer_.fail(std::move(error)); }

private:
    Completer completer_;
};

class SubscribeResult {
public:
    SubscribeResult(std::shared_ptr<SourceStream> stream);
    SubscribeResult(FieldError error) : result_(std::move(error)) {}

    static std::pair<SubscribeResult, StreamCompleter> deferred() {
        auto [result, completer] = ResolverResult::deferred();
        return {SubscribeResult(std::move(result)), StreamCompleter(std::move(completer))};
    }

    // The stream travels through the engine's deferred-result machinery as a host object.
    ResolverResult& result() { return result_; }

private:
    explicit SubscribeResult(ResolverResult result) : result_(std::move(result)) {}
    ResolverResult result_;
};

// ResolveFieldEventStream (spec 6.2.3.1) of one subscription root field: `info.parent` is the request's root
// value, `info.arguments` the field's coerced arguments. Every event pushed becomes the root value against which
// the subscription's selection set is executed; the field's ordinary resolver (or, without one, the event's
// member of the field's name) then maps the event to the field's value.
using Subscriber = std::function<SubscribeResult(const ResolveInfo&)>;

}  // namespace orderstream::graphql
