#include "orderstream/graphql/execution/resolver.hpp"

namespace orderstream::graphql::detail {

void PendingResult::complete(Outcome outcome) {
    Continuation continuation;
    {
        std::lock_guard lock(mutex_);
        if (outcome_) return;  // completing twice is ignored
        if (!continuation_) {
            outcome_ = std::move(outcome);
            return;
        }
        continuation = std::move(continuation_);
        outcome_.emplace(Value());  // mark as completed
    }
    continuation(std::move(outcome));
}

void PendingResult::on_complete(Continuation continuation) {
    std::optional<Outcome> ready;
    {
        std::lock_guard lock(mutex_);
        if (!outcome_) {
            continuation_ = std::move(continuation);
            return;
        }
        ready = std::move(outcome_);
        outcome_.emplace(Value());
    }
    continuation(std::move(*ready));
}

}  // namespace orderstream::graphql::detail
