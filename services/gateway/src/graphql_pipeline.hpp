#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "document_cache.hpp"
#include "downstream.hpp"
#include "graphql_http.hpp"
#include "orderstream/auth/jwt.hpp"
#include "orderstream/core/worker_pool.hpp"
#include "orderstream/graphql/execution/execute.hpp"
#include "orderstream/graphql/execution/subscribe.hpp"
#include "orderstream/graphql/type/schema.hpp"
#include "query_limits.hpp"
#include "request_context.hpp"

namespace orderstream::gateway {

class OrderSubscriptions;

struct EndpointOptions {
    QueryLimits limits;
    bool introspection = true;
    // Parsing, validation, limits and the start of execution run on these threads, not on the
    // HTTP threads, so a flood of costly documents never delays /health or other connections.
    std::size_t workers = 2;
    std::size_t max_queued = 256;  // more waiting requests are refused at once (503, or an error message)
};

// Why a request stopped before execution: the errors for the client, and how metrics count it.
struct Refusal {
    std::vector<graphql::GraphQLError> errors;
    const char* outcome;  // "parse_error", "invalid", "limited"
    std::string label;    // OperationLabel of a validated operation, else kOtherOperations
};

// A document, parsed (or found among the validated ones), and the operation the request names in it.
struct ParsedDocument {
    std::shared_ptr<const graphql::ast::Document> document;
    const graphql::ast::OperationDefinition* operation = nullptr;  // null: none matches (Prepare says why)
    bool validated = false;
};

// An operation that passed every check and is ready to run.
struct PreparedOperation {
    std::shared_ptr<const graphql::ast::Document> document;
    const graphql::ast::OperationDefinition* operation = nullptr;
    std::string operation_name;  // as the document names it
    std::string label;           // metric label
    graphql::Value variables;
};

// Who sent a request: a verified caller, nobody, or a token that was refused (and why).
struct Authentication {
    std::optional<auth::Claims> caller;
    std::string token;  // the verified token: forwarded to the services, who act for its user
    std::string failure;
};

// The steps every GraphQL request takes, whichever transport carried it (HTTP, WebSocket); each step
// returns early with a Refusal, and transports add their own checks between them:
//   Parse → Prepare (validate, introspection switch, operation, limits) → Authenticate → Execute / Subscribe
class GraphQLPipeline {
public:
    GraphQLPipeline(std::shared_ptr<const graphql::Schema> schema, Downstream& downstream, const auth::JwtCodec& jwt,
                    EndpointOptions options);

    // Runs `job` on the GraphQL threads (lower CPU priority than I/O); false when as many jobs are
    // already waiting as allowed.
    bool Submit(std::function<void()> job);

    std::variant<ParsedDocument, Refusal> Parse(const GraphQLRequest& request);
    std::variant<PreparedOperation, Refusal> Prepare(ParsedDocument parsed, GraphQLRequest request);
    // Verifies a bearer token; `malformed` names an Authorization header of another form.
    Authentication Authenticate(const std::string& token, bool malformed) const;
    // A fresh context for one operation, with the request's deadline starting now.
    std::shared_ptr<RequestContext> NewContext(std::string request_id, const Authentication& authentication,
                                               OrderSubscriptions* order_subscriptions = nullptr) const;

    // Queries and mutations: `done` runs once with the result.
    void Execute(PreparedOperation operation, std::shared_ptr<RequestContext> context,
                 std::function<void(graphql::ExecutionResult)> done);
    // Subscriptions: the observer owns the context for as long as the subscription lives.
    std::shared_ptr<graphql::Subscription> Subscribe(PreparedOperation operation,
                                                     std::shared_ptr<RequestContext> context,
                                                     graphql::SubscriptionObserver observer);

    const auth::JwtCodec& jwt() const { return jwt_; }

private:
    std::shared_ptr<const graphql::Schema> schema_;
    Downstream& downstream_;
    const auth::JwtCodec& jwt_;
    EndpointOptions options_;
    DocumentCache documents_;
    concurrency::WorkerPool workers_;
};

// graphql_requests_total{operation, outcome}; `label` comes from a Refusal or PreparedOperation.
void CountRequest(const std::string& label, const char* outcome);
void ObserveRequestSeconds(double seconds);
extern const std::string kOtherOperations;

graphql::GraphQLError RequestError(std::string message, const char* error_code = nullptr);
// `{"errors":[...]}`
std::string ErrorsBody(const std::vector<graphql::GraphQLError>& errors);

// Builds the gateway's schema (the seed's, embedded at build time) with every resolver.
std::shared_ptr<graphql::Schema> BuildGatewaySchema();

}  // namespace orderstream::gateway
