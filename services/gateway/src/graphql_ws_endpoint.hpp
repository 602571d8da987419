#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <variant>

#include "graphql_pipeline.hpp"
#include "graphql_ws_session.hpp"
#include "order_subscriptions.hpp"
#include "orderstream/http/server.hpp"

namespace orderstream::gateway {

struct WebSocketLimits {
    std::size_t max_connections_per_address = 100;  // more upgrade requests from one address get 429
    std::size_t max_message_bytes = 64 * 1024;      // a larger message closes the socket (1009)
    std::size_t max_buffered_bytes = 1 << 20;       // unread by a slow client: it is disconnected
    std::chrono::seconds peer_timeout{60};          // silent peers (no answer to pings) are disconnected
    GraphQLWsOptions session;
};

// GraphQL over WebSocket on /graphql (graphql-transport-ws): takes over upgrade requests, keeps the
// per-address connection count, and runs each connection's operations through the same pipeline as
// GraphQL over HTTP (on its worker threads): queries and mutations once, subscriptions until they end.
class GraphQLWsEndpoint : public OperationRunner {
public:
    GraphQLWsEndpoint(GraphQLPipeline& pipeline, std::shared_ptr<OrderSubscriptions> subscriptions,
                      WebSocketLimits limits);

    // The server's upgrade handler.
    std::variant<http::Response, http::WebSocketAccept> Upgrade(const http::Request& request);

    std::shared_ptr<RunningOperation> Start(const GraphQLRequest& request, const Authentication& caller,
                                            OperationSink sink) override;

private:
    class AddressSlot;
    class PipelineOperation;
    std::shared_ptr<AddressSlot> Reserve(const std::string& address);
    void Run(const std::shared_ptr<PipelineOperation>& operation, GraphQLRequest request, const Authentication& caller,
             const OperationSink& sink);

    GraphQLPipeline& pipeline_;
    std::shared_ptr<OrderSubscriptions> subscriptions_;
    const WebSocketLimits limits_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::size_t> connections_by_address_;
};

// The Origin of a browser's upgrade request names this host (scheme ignored); true without an Origin
// (non-browser clients). Cookies authenticate only such requests, so another site's page cannot use a
// visitor's cookie over a socket it opens.
bool SameOrigin(const http::Request& request);

}  // namespace orderstream::gateway
