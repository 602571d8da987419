#include "graphql_endpoint.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <set>
#include <unordered_map>

#include <spdlog/spdlog.h>

#include "field_errors.hpp"
#include "graphql_http.hpp"
#include "orderstream/core/log.hpp"
#include "orderstream/core/metrics.hpp"
#include "orderstream/core/trace_context.hpp"
#include "orderstream/graphql/graphql.hpp"
#include "orderstream/graphql/validation/validate.hpp"
#include "request_context.hpp"
#include "resolvers.hpp"

extern "C" const char gateway_schema0_begin[];
extern "C" const char gateway_schema0_end[];

namespace orderstream::gateway {
namespace {

using Clock = std::chrono::steady_clock;

struct EndpointMetrics {
    metrics::Gauge& in_flight = metrics::Registry::Global().GetGauge("graphql_requests_in_flight",
                                                                       "GraphQL requests being served.");
    metrics::Histogram& latency = metrics::Registry::Global().GetHistogram(
        "graphql_request_duration_seconds", "GraphQL request latency in seconds.");

    // `label` comes from OperationLabel (or is "other"): clients never mint label values.
    void Count(const std::string& label, const char* outcome) {
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
};

constexpr std::size_t kMaxOperationLabels = 100;
const std::string kOtherOperations = "other";

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

EndpointMetrics& Metrics() {
    static EndpointMetrics instance;
    return instance;
}

std::string ErrorsBody(const std::vector<graphql::GraphQLError>& errors) {
    graphql::ExecutionResult result;
    result.errors = errors;
    return result.to_json();
}

graphql::GraphQLError RequestError(std::string message, const char* error_code = nullptr) {
    graphql::GraphQLError error;
    error.message = std::move(message);
    if (error_code != nullptr) error.extensions = graphql::Value(graphql::ValueObject{{"code", graphql::Value(error_code)}});
    return error;
}

const char* ContentType(ResponseMediaType type) {
    return type == ResponseMediaType::kGraphQLResponseJson ? "application/graphql-response+json; charset=utf-8"
                                                           : "application/json; charset=utf-8";
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

// The caller's trace, so that one request can be followed through every role's log: the trace
// id of a valid W3C traceparent, else a well-formed x-request-id, else a new id.
std::string RequestIdOf(const http::Request& request) {
    if (auto trace_id = trace::ParseTraceparent(request.Header(trace::kTraceparentHeader))) return *trace_id;
    auto request_id = request.Header("x-request-id");
    auto token_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    };
    if (!request_id.empty() && request_id.size() <= 128 &&
        std::all_of(request_id.begin(), request_id.end(), token_char)) {
        return std::string(request_id);
    }
    return log::NewRequestId();
}

}  // namespace

std::string TokenOf(const http::Request& request, bool& malformed) {
    malformed = false;
    auto authorization = request.Header("authorization");
    if (!authorization.empty()) {
        constexpr std::string_view kBearer = "Bearer ";
        if (authorization.size() > kBearer.size() &&
            std::equal(kBearer.begin(), kBearer.end(), authorization.begin(),
                       [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
            return std::string(authorization.substr(kBearer.size()));
        }
        malformed = true;
        return {};
    }
    auto cookies = request.Header("cookie");
    std::size_t start = 0;
    while (start < cookies.size()) {
        auto end = cookies.find(';', start);
        if (end == std::string_view::npos) end = cookies.size();
        auto pair = cookies.substr(start, end - start);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        if (pair.substr(0, 6) == "token=") return std::string(pair.substr(6));
        start = end + 1;
    }
    return {};
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
    return built.schema;
}

GraphQLEndpoint::GraphQLEndpoint(std::shared_ptr<const graphql::Schema> schema, Downstream& downstream,
                                 const auth::JwtCodec& jwt, EndpointOptions options)
    : schema_(std::move(schema)),
      downstream_(downstream),
      jwt_(jwt),
      options_(options),
      workers_({.name = "graphql", .threads = options.workers, .max_queued = options.max_queued, .nice = 5}) {}

void GraphQLEndpoint::Handle(http::Request&& request, http::Respond respond) {
    auto job = [this, request = std::make_shared<http::Request>(std::move(request)), respond]() mutable {
        Process(std::move(*request), respond);
    };
    if (!workers_.Submit(std::move(job))) {
        Metrics().Count(kOtherOperations, "busy");
        auto busy = http::Response::Json(503, ErrorsBody({RequestError("the server is busy; retry shortly",
                                                                      code::kUnavailable)}));
        busy.headers.emplace_back("Retry-After", "1");
        respond(std::move(busy));
    }
}

void GraphQLEndpoint::Process(http::Request&& request, const http::Respond& respond) {
    auto started = Clock::now();
    auto media = NegotiateMediaType(request.Header("accept"));
    if (!media) {
        return respond(http::Response::Text(
            406, "accept application/graphql-response+json or application/json\n"));
    }
    auto request_id = RequestIdOf(request);
    // `label`: OperationLabel of a validated operation, else kOtherOperations.
    auto reply = [respond, media, started, request_id](int status, std::string body, const std::string& label,
                                                       const char* outcome, http::Headers headers = {}) {
        auto seconds = std::chrono::duration<double>(Clock::now() - started).count();
        {
            log::RequestScope scope(request_id);
            spdlog::debug("graphql {} {} {} in {:.1f} ms", label, outcome, status, seconds * 1000);
        }
        http::Response response;
        response.status = status;
        response.content_type = ContentType(*media);
        response.body = std::move(body);
        response.headers = std::move(headers);
        Metrics().Count(label, outcome);
        Metrics().latency.Observe(seconds);
        respond(std::move(response));
    };
    // A request the server could not make sense of: 400 with graphql-response+json; the legacy
    // application/json answers 200 for everything that is well-formed JSON.
    int request_error_status = *media == ResponseMediaType::kGraphQLResponseJson ? 400 : 200;

    auto parsed = ParseGraphQLRequest(request);
    if (auto* rejection = std::get_if<RequestRejection>(&parsed)) {
        http::Response response = http::Response::Json(rejection->status, ErrorsBody({RequestError(rejection->message)}));
        response.headers = rejection->headers;
        Metrics().Count(kOtherOperations, "rejected");
        return respond(std::move(response));
    }
    auto graphql_request = std::get<GraphQLRequest>(std::move(parsed));

    auto document = documents_.Find(graphql_request.query);
    bool cached = document != nullptr;
    if (!cached) {
        graphql::ParseOptions parse_options;
        parse_options.max_tokens = options_.limits.max_tokens;
        auto parsed = graphql::parse(graphql_request.query, parse_options);
        if (!parsed) {
            return reply(request_error_status, ErrorsBody({*parsed.error}), kOtherOperations, "parse_error");
        }
        document = parsed.document;
    }
    const auto* operation = graphql::ast::find_operation(*document, graphql_request.operation_name);
    if (operation != nullptr && graphql_request.is_get && operation->operation != graphql::ast::OperationType::Query) {
        http::Response response = http::Response::Json(
            405, ErrorsBody({RequestError("only queries may be sent with GET; use POST for mutations")}));
        response.headers.emplace_back("Allow", "POST");
        Metrics().Count(kOtherOperations, "rejected");
        return respond(std::move(response));
    }
    if (!cached) {
        auto errors = graphql::validate(*schema_, *document);
        if (!errors.empty()) {
            return reply(request_error_status, ErrorsBody(errors), kOtherOperations, "invalid");
        }
        documents_.Remember(graphql_request.query, document);
    }
    if (!options_.introspection && DocumentIntrospects(*document)) {
        return reply(request_error_status,
                     ErrorsBody({RequestError("introspection is disabled on this server", code::kForbidden)}),
                     kOtherOperations, "invalid");
    }
    if (operation == nullptr) {
        auto message = graphql_request.operation_name.empty()
                           ? std::string("the document has several operations: name one with operationName")
                           : "no operation named \"" + graphql_request.operation_name + "\"";
        return reply(request_error_status, ErrorsBody({RequestError(message)}), kOtherOperations, "invalid");
    }
    // Metrics name the operation as the document does, also when operationName was not sent.
    if (graphql_request.operation_name.empty()) graphql_request.operation_name = std::string(operation->name.value);
    auto label = OperationLabel(graphql_request.operation_name);
    if (auto exceeded = CheckLimits(*schema_, *document, *operation, graphql_request.variables,
                                    options_.limits)) {
        return reply(request_error_status, ErrorsBody({RequestError(*exceeded, code::kBadUserInput)}), label,
                     "limited");
    }

    auto context = std::make_shared<RequestContext>(downstream_, jwt_);
    context->request_id = request_id;
    context->deadline = std::chrono::system_clock::now() + downstream_.timeout;
    bool malformed = false;
    auto token = TokenOf(request, malformed);
    if (malformed) {
        context->auth_failure = "the Authorization header must be \"Bearer <token>\"";
    } else if (!token.empty()) {
        auto claims = jwt_.Verify(token);
        if (claims.ok()) {
            context->caller = *claims;
            context->token = token;
        } else {
            context->auth_failure = claims.error().message;
        }
    }

    graphql::ExecutionRequest execution;
    execution.schema = schema_;
    execution.document = document;
    execution.operation_name = graphql_request.operation_name;
    execution.variables = std::move(graphql_request.variables);
    execution.context = context.get();
    Metrics().in_flight.Add(1);
    graphql::execute_async(std::move(execution), [context, reply, label, request_error_status](
                                                     graphql::ExecutionResult result) {
        Metrics().in_flight.Add(-1);
        http::Headers headers;
        for (auto& cookie : context->TakeCookies()) headers.emplace_back("Set-Cookie", std::move(cookie));
        // No data at all means the request failed before execution (e.g. bad variables).
        int status = result.data ? 200 : request_error_status;
        reply(status, result.to_json(), label, result.errors.empty() ? "ok" : "errors", std::move(headers));
    });
    context->DispatchLoaders();
}

}  // namespace orderstream::gateway
