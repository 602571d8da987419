#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <vector>

#include "orderstream/graphql/execution/resolver.hpp"

namespace orderstream::gateway {

// The bookkeeping of a DataLoader-style batch: the fields waiting for each key while one round
// of resolvers runs, taken all at once when the round is dispatched as one downstream call.
class KeyBatch {
public:
    using Waiting = std::map<std::uint64_t, std::vector<graphql::Completer>>;

    void Add(std::uint64_t key, graphql::Completer completer) {
        std::lock_guard lock(mutex_);
        pending_[key].push_back(std::move(completer));
    }

    Waiting Take() {
        Waiting batch;
        std::lock_guard lock(mutex_);
        batch.swap(pending_);
        return batch;
    }

    static void Fail(const Waiting& batch, const graphql::FieldError& error) {
        for (const auto& [key, waiting] : batch) {
            for (const auto& completer : waiting) completer.fail(error);
        }
    }

    // Every field waiting for a key gets `value_of(key)`.
    static void Resolve(const Waiting& batch, const std::function<graphql::Value(std::uint64_t)>& value_of) {
        for (const auto& [key, waiting] : batch) {
            auto value = value_of(key);
            for (const auto& completer : waiting) completer.resolve(value);
        }
    }

private:
    std::mutex mutex_;
    Waiting pending_;
};

}  // namespace orderstream::gateway
