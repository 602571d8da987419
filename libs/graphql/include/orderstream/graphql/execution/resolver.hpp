#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "orderstream/graphql/language/ast.hpp"
#include "orderstream/graphql/value.hpp"

namespace orderstream::graphql {

struct Type;
struct Field;

// A resolver's failure. It becomes a GraphQL error located at the field, with the field's path.
struct FieldError {
    std::string message;
    std::optional<Value> extensions;  // e.g. {"code": "FORBIDDEN"}
};

// What a resolver sees. Everything is borrowed for the duration of the call only: an asynchronous
// resolver must copy what it needs before returning.
struct ResolveInfo {
    const Value& parent;
    const ValueObject& arguments;  // coerced, with defaults applied; absent optional arguments are missing
    const Field& field;
    const Type& parent_type;
    const ast::Selection& field_node;
    void* context;  // the request's application context (ExecutionRequest::context)

    const Value* argument(std::string_view name) const;
};

namespace detail {
// Shared between a deferred result and its Completer; completion may happen on any thread.
class PendingResult {
public:
    using Outcome = std::variant<Value, FieldError>;
    using Continuation = std::function<void(Outcome&&)>;

    void complete(Outcome outcome);
    void on_complete(Continuation continuation);

private:
    std::mutex mutex_;
    std::optional<Outcome> outcome_;
    Continuation continuation_;
};
}  // namespace detail

// Completes a deferred resolver result exactly once, from any thread (e.g. a gRPC completion queue).
class Completer {
public:
    explicit Completer(std::shared_ptr<detail::PendingResult> pending) : pending_(std::move(pending)) {}
    void resolve(Value value) const { pending_->complete(std::move(value)); }
    void fail(FieldError error) const { pending_->complete(std::move(error)); }

private:
    std::shared_ptr<detail::PendingResult> pending_;
};

// A resolver returns a value now, an error now, or a deferred result that a Completer finishes later.
// Sibling fields of a query are all started before any deferred result is awaited, so their I/O overlaps.
class ResolverResult {
public:
    ResolverResult(Value value) : state_(std::move(value)) {}
    ResolverResult(FieldError error) : state_(std::move(error)) {}

    static std::pair<ResolverResult, Completer> deferred() {
        auto pending = std::make_shared<detail::PendingResult>();
        return {ResolverResult(pending), Completer(pending)};
    }

    bool is_deferred() const { return state_.index() == 2; }
    std::variant<Value, FieldError, std::shared_ptr<detail::PendingResult>>& state() { return state_; }

private:
    explicit ResolverResult(std::shared_ptr<detail::PendingResult> pending) : state_(std::move(pending)) {}
    std::variant<Value, FieldError, std::shared_ptr<detail::PendingResult>> state_;
};

using Resolver = std::function<ResolverResult(const ResolveInfo&)>;
// Names the concrete object type of a value of an interface or union type.
using TypeResolver = std::function<std::string(const Value& value, void* context)>;

}  // namespace orderstream::graphql
