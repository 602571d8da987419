#pragma once

#include <cstddef>
#include <functional>
#include <memory>

#include "orderstream/graphql/value.hpp"

namespace orderstream::graphql::detail {

// A response position (object, list or field value) still waiting for deferred resolvers below it.
// Slots form a tree mirroring the response; a child reports to its parent when it settles. A failure
// that reaches a nullable position nulls that position and cancels everything still pending beneath it
// (spec 6.4.4, "Handling Field Errors").
struct PendingSlot {
    std::shared_ptr<PendingSlot> parent;
    Value* slot = nullptr;
    bool nullable = false;
    std::size_t remaining = 0;
    bool settled = false;
    bool cancelled = false;
    std::function<void(bool ok)> on_settled;  // used instead of `parent` at the top of the tree

    bool alive() const {
        for (const PendingSlot* node = this; node; node = node->parent.get()) {
            if (node->cancelled) return false;
        }
        return true;
    }

    void child_done(bool ok) {
        if (settled || !alive()) return;
        if (!ok) {
            settled = true;
            cancelled = true;
            if (nullable) {
                *slot = Value();
                notify(true);
            } else {
                notify(false);
            }
            return;
        }
        if (--remaining == 0) {
            settled = true;
            notify(true);
        }
    }

private:
    void notify(bool ok) {
        if (parent) {
            parent->child_done(ok);
        } else if (on_settled) {
            on_settled(ok);
        }
    }
};

}  // namespace orderstream::graphql::detail
