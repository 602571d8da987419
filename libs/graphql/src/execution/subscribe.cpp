#include "orderstream/graphql/execution/subscribe.hpp"

#include <atomic>
#include <mutex>

#include "collect_fields.hpp"
#include "operation.hpp"
#include "source_stream_host.hpp"
#include "values.hpp"

namespace orderstream::graphql {
namespace detail {

// One subscription (spec 6.2.3). Owned by the source stream's listener while it delivers and by the execution
// of the event in progress; that cycle through the stream ends when the stream ends or the caller's handle
// (SubscriptionHandle) goes.
class SubscriptionRun final : public std::enable_shared_from_this<SubscriptionRun> {
public:
    SubscriptionRun(ExecutionRequest request, SubscriptionObserver observer, EventExecutor execute_event)
        : request_(std::move(request)), observer_(std::move(observer)), execute_event_(std::move(execute_event)) {}

    // CreateSourceEventStream (spec 6.2.3.1).
    void start() {
        const ast::Document& document = *request_.document;
        const Schema& schema = *request_.schema;
        std::vector<GraphQLError> errors;
        FragmentIndex fragments;
        const ast::OperationDefinition* operation =
            select_operation(document, request_.operation_name, fragments, errors);
        if (!operation) return finish(std::move(errors));
        if (operation->operation != ast::OperationType::Subscription) {
            return finish({GraphQLError{"Only subscription operations have a source stream.",
                                        {document.location_of(operation->loc)}, {}, {}}});
        }
        const ValueObject variables = coerce_variable_values(schema, document, *operation, request_.variables, errors);
        if (!errors.empty()) return finish(std::move(errors));
        const Type* root = schema.subscription_type();
        if (!root) return finish({missing_root_type_error(document, *operation)});

        FieldGroups groups;
        std::vector<std::string_view> visited;
        collect_fields(schema, fragments, variables, *root, operation->selection_set, groups, visited);
        if (groups.empty()) {
            // Every root field was skipped (@skip/@include): there is nothing to listen to.
            return finish({GraphQLError{"The subscription selects no root field.",
                                        {document.location_of(operation->loc)}, {}, {}}});
        }
        const FieldGroup& group = groups.front();  // validation allows exactly one
        const ast::Selection& node = *group.nodes[0];
        response_key_ = std::string(group.response_key);
        for (const ast::Selection* each : group.nodes) locations_.push_back(document.location_of(each->loc));

        const Field* field = root->field(node.name.value);
        if (!field) {
            return fail(FieldError{"The subscription field \"" + std::string(node.name.value) + "\" is not defined.",
                                   std::nullopt});
        }
        GraphQLError argument_error;
        auto arguments =
            coerce_argument_values(field->arguments, node.arguments, variables, document, node.loc, argument_error);
        if (!arguments) {
            argument_error.path = {response_key_};
            return finish({std::move(argument_error)});
        }
        if (!field->subscriber) {
            return fail(FieldError{"Subscription field \"" + root->name + "." + field->name + "\" has no source stream.",
                                   std::nullopt});
        }
        SubscribeResult result = [&] {
            try {
                return field->subscriber(ResolveInfo{request_.root_value, *arguments, *field, *root, node, request_.context});
            } catch (const std::exception& exception) {
                return SubscribeResult(FieldError{exception.what(), std::nullopt});
            }
        }();
        auto& state = result.result().state();
        if (auto* value = std::get_if<Value>(&state)) return attach(source_stream_of(*value));
        if (auto* error = std::get_if<FieldError>(&state)) return fail(std::move(*error));
        std::get<std::shared_ptr<PendingResult>>(state)->on_complete(
            [self = shared_from_this()](PendingResult::Outcome&& outcome) {
                if (auto* value = std::get_if<Value>(&outcome)) return self->attach(source_stream_of(*value));
                self->fail(std::get<FieldError>(std::move(outcome)));
            });
    }

    void cancel() {
        std::shared_ptr<SourceStream> stream;
        {
            std::lock_guard lock(mutex_);
            if (cancelled_) return;
            cancelled_ = true;
            stream.swap(stream_);
        }
        if (stream) stream->cancel();
    }

private:
    void attach(std::shared_ptr<SourceStream> stream) {
        if (!stream) return fail(FieldError{"The subscriber returned no source stream.", std::nullopt});
        {
            std::lock_guard lock(mutex_);
            if (!cancelled_) stream_ = stream;
        }
        if (cancelled_) return stream->cancel();
        auto self = shared_from_this();
        stream->listen({[self](Value event) { self->execute_event(std::move(event)); },
                        [self](std::optional<FieldError> error) { self->end(std::move(error)); }});
        stream->request();
    }

    // ExecuteSubscriptionEvent (spec 6.2.3.2): the selection set over the event as the root value.
    void execute_event(Value event) {
        ExecutionRequest request{request_.schema, request_.document, request_.operation_name, request_.variables,
                                 std::move(event), request_.context};
        auto done = [self = shared_from_this()](ExecutionResult result) {
            if (!self->cancelled_) self->observer_.next(std::move(result));
            std::shared_ptr<SourceStream> stream;
            {
                std::lock_guard lock(self->mutex_);
                stream = self->stream_;
            }
            if (stream) stream->request();
        };
        if (execute_event_) return execute_event_(std::move(request), std::move(done));
        execute_async(std::move(request), std::move(done));
    }

    void end(std::optional<FieldError> error) {
        {
            std::lock_guard lock(mutex_);
            stream_.reset();
        }
        if (!error) return finish({});
        fail(std::move(*error));
    }

    // A field error of the subscription's root field, located there (spec 6.2.3.1: a request error).
    void fail(FieldError error) {
        std::vector<PathSegment> path;
        if (!response_key_.empty()) path.emplace_back(response_key_);
        finish({GraphQLError{std::move(error.message), locations_, std::move(path), std::move(error.extensions)}});
    }

    void finish(std::vector<GraphQLError> errors) {
        if (completed_.exchange(true) || cancelled_) return;
        observer_.complete(std::move(errors));
    }

    const ExecutionRequest request_;
    SubscriptionObserver observer_;
    const EventExecutor execute_event_;
    std::string response_key_;
    std::vector<SourceLocation> locations_;
    std::mutex mutex_;
    std::shared_ptr<SourceStream> stream_;
    std::atomic<bool> cancelled_{false};
    std::atomic<bool> completed_{false};
};

// What the caller holds: the subscription lives while it does.
class SubscriptionHandle final : public Subscription {
public:
    explicit SubscriptionHandle(std::shared_ptr<SubscriptionRun> run) : run_(std::move(run)) {}
    ~SubscriptionHandle() override { run_->cancel(); }
    void cancel() override { run_->cancel(); }

private:
    std::shared_ptr<SubscriptionRun> run_;
};

}  // namespace detail

std::shared_ptr<Subscription> subscribe(ExecutionRequest request, SubscriptionObserver observer,
                                        EventExecutor execute_event) {
    auto run = std::make_shared<detail::SubscriptionRun>(std::move(request), std::move(observer), std::move(execute_event));
    auto handle = std::make_shared<detail::SubscriptionHandle>(run);
    run->start();
    return handle;
}

}  // namespace orderstream::graphql
