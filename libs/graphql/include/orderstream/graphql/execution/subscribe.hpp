#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "orderstream/graphql/execution/execute.hpp"
#include "orderstream/graphql/execution/source_stream.hpp"

namespace orderstream::graphql {

// Where a subscription's responses go. Callbacks run on whichever thread produced the response (a producer's
// push, a deferred resolver's completion); for one subscription they never overlap and come in order.
struct SubscriptionObserver {
    // One response per source event (spec 6.2.3.2, MapSourceToResponseEvent); the next event is executed only
    // after this returned.
    std::function<void(ExecutionResult result)> next;
    // The response stream ended; nothing follows. `errors` is empty when the source stream completed, and holds
    // the reason when the source stream could not be created (a request error, spec 6.2.3.1: no `next` came
    // before) or ended with an error.
    std::function<void(std::vector<GraphQLError> errors)> complete;
};

// A running subscription, returned at once; the source stream may still be being created. It runs for as long
// as the caller holds it: dropping it cancels, as cancel() does.
class Subscription {
public:
    virtual ~Subscription() = default;
    // Stops listening: the source stream is cancelled (its producer's on_cancel hook runs) and no callback starts
    // afterwards, except one already being delivered on another thread. Idempotent, any thread; `complete` is
    // not called.
    virtual void cancel() = 0;
};

// ExecuteSubscriptionEvent (spec 6.2.3.2) run the caller's way: `request` has the event as its root value;
// `done` must run once with the response. A caller uses it to give each event a context of its own (a fresh
// deadline, its own batched loads dispatched once the execution started), then calls execute_async.
using EventExecutor = std::function<void(ExecutionRequest request, std::function<void(ExecutionResult)> done)>;

// Subscribe (spec 6.2.3): CreateSourceEventStream with the request's root value, then MapSourceToResponseEvent
// for each event, executing the selection set with the event as the root value (through `execute_event` when
// given, else execute_async). `request.context` must outlive every callback: let the observer own it (the
// subscription keeps the observer until its last execution is over). The document must have passed
// validation (one root field).
std::shared_ptr<Subscription> subscribe(ExecutionRequest request, SubscriptionObserver observer,
                                        EventExecutor execute_event = {});

}  // namespace orderstream::graphql
