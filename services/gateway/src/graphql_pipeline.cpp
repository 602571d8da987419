#include "graphql_pipeline.hpp"

#include <mutex>
#include <set>
#include <unordered_map>

#include "field_errors.hpp"
#include "orderstream/core/metrics.hpp"
#include "orderstream/graphql/graphql.hpp"
#include "orderstream/graphql/validation/validate.hpp"
#include "resolvers.hpp"

extern "C" const char gateway_schema0_begin[];
extern "C" const char gateway_schema0_end[];

namespace orderstream::gateway {

const std::string kOtherOperations = "other";

namespace {

struct PipelineMetrics {
    metrics::Gauge& in_flight = metrics::Registry::Global().GetGauge("graphql_requests_in_flight",
                                                                       "GraphQL requests being served.");
    metrics::Histogram& latency = metrics::Registry::Global().GetHistogram(
        "graphql_request_duration_seconds", "GraphQL request latency in seconds.");
};

PipelineMetrics& Metrics() {
    static PipelineMetrics instance;
    return instance;
}

constexpr std::size_t kMaxOperationLabels = 100;

// The metric label of a validated operation: its name, while fewer than kMaxOperationLabels
// names have been seen; "other" beyond that, and for names over 64 bytes.
std::string OperationLabel(std::string_view name) {
    if (name.empty()) return "anonymous";
    if (name.size() > 64) return kOtherOperations;
    static std::mutex mutex;
    static std::set<std::string, std::less<>> known;
    std::lock_guard lock(mutex);
    if (known.find(name) != known.end()) return std::string(name);
    if (known.size() >= kMaxOperationLabels) return kOtherOperations;
    return *known.emplace(name).first;
}

bool SelectsIntrospection(const graphql::ast::SelectionSet& set, int depth = 0) {
    if (depth > 64) return false;
    for (const auto& selection : set.selections) {
        if (selection.kind == graphql::ast::SelectionKind::Field &&
            (selection.name.value == "__schema" || selection.name.value == "__type")) {
            return true;
        }
        if (selection.has_selection_set && SelectsIntrospection(selection.selection_set, depth + 1)) return true;
    }
    return false;
}

bool DocumentIntrospects(const graphql::ast::Document& document) {
    for (const auto& definition : document.definitions) {
        if (const auto* op = std::get_if<graphql::ast::OperationDefinition>(&definition)) {
            if (SelectsIntrospection(op->selection_set)) return true;
        } else if (const auto* fragment = std::get_if<graphql::ast::FragmentDefinition>(&definition)) {
            if (SelectsIntrospection(fragment->selection_set)) return true;
        }
    }
    return false;
}

Refusal Refuse(std::vector<graphql::GraphQLError> errors, const char* outcome, std::string label = kOtherOperations) {
    return Refusal{std::move(errors), outcome, std::move(label)};
}

}  // namespace

void CountRequest(const std::string& label, const char* outcome) {
    // The registry lookup renders labels under a lock; each thread remembers its counters.
    thread_local std::unordered_map<std::string, metrics::Counter*> counters;
    auto key = label + '\x1f' + outcome;
    auto& counter = counters[key];
    if (counter == nullptr) {
        counter = &metrics::Registry::Global().GetCounter("graphql_requests_total",
                                                          "GraphQL requests by operation name and outcome.",
                                                          {{"operation", label}, {"outcome", outcome}});
    }
    counter->Increment();
}

void ObserveRequestSeconds(double seconds) { Metrics().latency.Observe(seconds); }

graphql::GraphQLError RequestError(std::string message, const char* error_code) {
    graphql::GraphQLError error;
    error.message = std::move(message);
    if (error_code != nullptr) error.extensions = graphql::Value(graphql::ValueObject{{"code", graphql::Value(error_code)}});
    return error;
}

std::string ErrorsBody(const std::vector<graphql::GraphQLError>& errors) {
    graphql::ExecutionResult result;
    result.errors = errors;
    return result.to_json();
}

std::shared_ptr<graphql::Schema> BuildGatewaySchema() {
    std::string_view sdl(gateway_schema0_begin, static_cast<std::size_t>(gateway_schema0_end - gateway_schema0_begin));
    auto built = graphql::Schema::from_sdl(sdl);
    if (!built.schema) {
        throw std::logic_error("the gateway schema does not build: " +
                               (built.errors.empty() ? std::string("?") : built.errors.front().message));
    }
    built.schema->set_scalar_coercion("Time", graphql::rfc3339_time_coercion());
    InstallAccountFields(*built.schema);
    InstallProductFields(*built.schema);
    InstallOrderFields(*built.schema);
    InstallPaymentFields(*built.schema);
    InstallSubscriptionFields(*built.schema);
    return built.schema;
}

GraphQLPipeline::GraphQLPipeline(std::shared_ptr<const graphql::Schema> schema, Downstream& downstream,
                                 const auth::JwtCodec& jwt, EndpointOptions options)
    : schema_(std::move(schema)),
      downstream_(downstream),
      jwt_(jwt),
      options_(options),
      workers_({.name = "graphql", .threads = options.workers, .max_queued = options.max_queued, .nice = 5}) {}

bool GraphQLPipeline::Submit(std::function<void()> job) { return workers_.Submit(std::move(job)); }

std::variant<ParsedDocument, Refusal> GraphQLPipeline::Parse(const GraphQLRequest& request) {
    ParsedDocument parsed;
    parsed.document = documents_.Find(request.query);
    parsed.validated = parsed.document != nullptr;
    if (!parsed.validated) {
        graphql::ParseOptions parse_options;
        parse_options.max_tokens = options_.limits.max_tokens;
        auto result = graphql::parse(request.query, parse_options);
        if (!result) return Refuse({*result.error}, "parse_error");
        parsed.document = result.document;
    }
    parsed.operation = graphql::ast::find_operation(*parsed.document, request.operation_name);
    return parsed;
}

std::variant<PreparedOperation, Refusal> GraphQLPipeline::Prepare(ParsedDocument parsed, GraphQLRequest request) {
    if (!parsed.validated) {
        auto errors = graphql::validate(*schema_, *parsed.document);
        if (!errors.empty()) return Refuse(std::move(errors), "invalid");
        documents_.Remember(request.query, parsed.document);
    }
    if (!options_.introspection && DocumentIntrospects(*parsed.document)) {
        return Refuse({RequestError("introspection is disabled on this server", code::kForbidden)}, "invalid");
    }
    if (parsed.operation == nullptr) {
        auto message = request.operation_name.empty()
                           ? std::string("the document has several operations: name one with operationName")
                           : "no operation named \"" + request.operation_name + "\"";
        return Refuse({RequestError(message)}, "invalid");
    }
    // Metrics name the operation as the document does, also when operationName was not sent.
    PreparedOperation prepared;
    prepared.operation_name = std::string(parsed.operation->name.value);
    prepared.label = OperationLabel(prepared.operation_name);
    if (auto exceeded =
            CheckLimits(*schema_, *parsed.document, *parsed.operation, request.variables, options_.limits)) {
        return Refuse({RequestError(*exceeded, code::kBadUserInput)}, "limited", prepared.label);
    }
    prepared.document = std::move(parsed.document);
    prepared.operation = parsed.operation;
    prepared.variables = std::move(request.variables);
    return prepared;
}

Authentication GraphQLPipeline::Authenticate(const std::string& token, bool malformed) const {
    Authentication authentication;
    if (malformed) {
        authentication.failure = "the Authorization header must be \"Bearer <token>\"";
    } else if (!token.empty()) {
        auto claims = jwt_.Verify(token);
        if (claims.ok()) {
            authentication.caller = *claims;
            authentication.token = token;
        } else {
            authentication.failure = claims.error().message;
        }
    }
    return authentication;
}

std::shared_ptr<RequestContext> GraphQLPipeline::NewContext(std::string request_id,
                                                            const Authentication& authentication,
                                                            OrderSubscriptions* order_subscriptions) const {
    auto context = std::make_shared<RequestContext>(downstream_, jwt_);
    context->request_id = std::move(request_id);
    context->deadline = std::chrono::system_clock::now() + downstream_.timeout;
    context->caller = authentication.caller;
    context->token = authentication.token;
    context->auth_failure = authentication.failure;
    context->order_subscriptions = order_subscriptions;
    return context;
}

void GraphQLPipeline::Execute(PreparedOperation operation, std::shared_ptr<RequestContext> context,
                              std::function<void(graphql::ExecutionResult)> done) {
    graphql::ExecutionRequest execution;
    execution.schema = schema_;
    execution.document = std::move(operation.document);
    execution.operation_name = std::move(operation.operation_name);
    execution.variables = std::move(operation.variables);
    execution.context = context.get();
    Metrics().in_flight.Add(1);
    graphql::execute_async(std::move(execution), [context, done = std::move(done)](graphql::ExecutionResult result) {
        Metrics().in_flight.Add(-1);
        done(std::move(result));
    });
    context->DispatchLoaders();
}

std::shared_ptr<graphql::Subscription> GraphQLPipeline::Subscribe(PreparedOperation operation,
                                                                  std::shared_ptr<RequestContext> context,
                                                                  graphql::SubscriptionObserver observer) {
    graphql::ExecutionRequest execution;
    execution.schema = schema_;
    execution.document = std::move(operation.document);
    execution.operation_name = std::move(operation.operation_name);
    execution.variables = std::move(operation.variables);
    execution.context = context.get();
    // The observer keeps the context alive for every event's execution.
    auto next = std::move(observer.next);
    observer.next = [context, next = std::move(next)](graphql::ExecutionResult result) { next(std::move(result)); };
    auto complete = std::move(observer.complete);
    observer.complete = [context, complete = std::move(complete)](std::vector<graphql::GraphQLError> errors) {
        complete(std::move(errors));
    };
    // Each event runs with a context of its own: a fresh deadline for the calls its fields make, and
    // its own batched loads (Order.payments), dispatched once its resolvers have queued them.
    auto execute_event = [this, context](graphql::ExecutionRequest event,
                                         std::function<void(graphql::ExecutionResult)> done) {
        auto event_context = NewContext(context->request_id, Authentication{context->caller, context->auth_failure},
                                        context->order_subscriptions);
        event.context = event_context.get();
        graphql::execute_async(std::move(event), [event_context, done = std::move(done)](graphql::ExecutionResult result) {
            done(std::move(result));
        });
        event_context->DispatchLoaders();
    };
    auto subscription = graphql::subscribe(std::move(execution), std::move(observer), std::move(execute_event));
    context->DispatchLoaders();
    return subscription;
}

}  // namespace orderstream::gateway
