#pragma once

#include <chrono>
#include <memory>

#include "document_cache.hpp"
#include "downstream.hpp"
#include "orderstream/auth/jwt.hpp"
#include "orderstream/core/worker_pool.hpp"
#include "orderstream/graphql/type/schema.hpp"
#include "orderstream/http/server.hpp"
#include "query_limits.hpp"

namespace orderstream::gateway {

struct EndpointOptions {
    QueryLimits limits;
    bool introspection = true;
    // Parsing, validation, limits and the start of execution run on these threads, not on the
    // HTTP threads, so a flood of costly documents never delays /health or other connections.
    std::size_t workers = 2;
    std::size_t max_queued = 256;  // more waiting requests are answered 503 at once
};

// POST/GET /graphql: GraphQL over HTTP with authentication, limits and metrics.
class GraphQLEndpoint {
public:
    GraphQLEndpoint(std::shared_ptr<const graphql::Schema> schema, Downstream& downstream, const auth::JwtCodec& jwt,
                    EndpointOptions options);
    void Handle(http::Request&& request, http::Respond respond);

private:
    void Process(http::Request&& request, const http::Respond& respond);

    std::shared_ptr<const graphql::Schema> schema_;
    Downstream& downstream_;
    const auth::JwtCodec& jwt_;
    EndpointOptions options_;
    DocumentCache documents_;
    concurrency::WorkerPool workers_;
};

// The bearer token of a request: Authorization: Bearer ..., else the `token` cookie; empty
// when neither is present. `malformed` is set for an Authorization header of another form.
std::string TokenOf(const http::Request& request, bool& malformed);

// Builds the gateway's schema (the seed's, embedded at build time) with every resolver.
std::shared_ptr<graphql::Schema> BuildGatewaySchema();

}  // namespace orderstream::gateway
