#pragma once

#include <memory>
#include <string>

#include "graphql_pipeline.hpp"
#include "orderstream/http/server.hpp"

namespace orderstream::gateway {

// POST/GET /graphql: GraphQL over HTTP with authentication, limits and metrics. Subscriptions are
// served over WebSocket on the same path (GraphQLWsEndpoint).
class GraphQLEndpoint {
public:
    explicit GraphQLEndpoint(GraphQLPipeline& pipeline) : pipeline_(pipeline) {}
    void Handle(http::Request&& request, http::Respond respond);

private:
    void Process(http::Request&& request, const http::Respond& respond);

    GraphQLPipeline& pipeline_;
};

// The bearer token of a request: Authorization: Bearer ..., else the `token` cookie; empty
// when neither is present. `malformed` is set for an Authorization header of another form.
std::string TokenOf(const http::Request& request, bool& malformed);
// The `token` cookie alone; empty when absent.
std::string TokenCookieOf(const http::Request& request);

// The caller's trace, so that one request can be followed through every role's log: the trace
// id of a valid W3C traceparent, else a well-formed x-request-id, else a new id.
std::string RequestIdOf(const http::Request& request);

}  // namespace orderstream::gateway
