#include "orderstream/gateway/role.hpp"

#include <signal.h>

#include <thread>

#include <spdlog/spdlog.h>

#include "graphql_endpoint.hpp"
#include "graphql_ws_endpoint.hpp"
#include "order_directory.hpp"
#include "order_status_feed.hpp"
#include "order_subscriptions.hpp"
#include "orderstream/core/config.hpp"
#include "orderstream/core/metrics.hpp"
#include "playground.hpp"
#include "readiness.hpp"

namespace orderstream::gateway {

int RunRole() {
    using config::Env;
    auto listen = Env::Address("GATEWAY_LISTEN", "127.0.0.1:8080");
    // Operators' endpoints (/metrics, /health/ready) stay off the public port.
    auto admin_listen = Env::Address("GATEWAY_ADMIN_LISTEN", "127.0.0.1:9106");
    auto threads = Env::Int("GATEWAY_THREADS", std::max(1U, std::thread::hardware_concurrency()), 1, 256);
    DownstreamAddresses addresses;
    addresses.account = Env::Address("ACCOUNT_URL", "127.0.0.1:50051");
    addresses.product = Env::Address("PRODUCT_URL", "127.0.0.1:50052");
    addresses.order = Env::Address("ORDER_URL", "127.0.0.1:50053");
    addresses.payment = Env::Address("PAYMENT_URL", "127.0.0.1:50054");
    addresses.recommender = Env::Address("RECOMMENDER_URL", "127.0.0.1:50055");
    auto timeout = std::chrono::milliseconds(Env::Int("REQUEST_TIMEOUT_MS", 3000, 10, 120'000));
    auto body_limit = Env::Int("MAX_BODY_BYTES", 1 << 20, 1024, 64 << 20);
    EndpointOptions options;
    options.introspection = Env::Bool("GRAPHQL_INTROSPECTION", true);
    options.limits.max_cost = Env::Int("GRAPHQL_MAX_COST", 5000, 1, 100'000'000);
    options.limits.max_depth = static_cast<int>(Env::Int("GRAPHQL_MAX_DEPTH", 12, 1, 100));
    options.limits.max_aliases = static_cast<int>(Env::Int("GRAPHQL_MAX_ALIASES", 50, 0, 10'000));
    options.limits.max_tokens = static_cast<std::uint32_t>(Env::Int("GRAPHQL_MAX_TOKENS", 10'000, 100, 1'000'000));
    options.workers = static_cast<std::size_t>(
        Env::Int("GATEWAY_GRAPHQL_THREADS", std::max(1U, std::thread::hardware_concurrency()), 1, 256));
    options.max_queued = static_cast<std::size_t>(Env::Int("GATEWAY_GRAPHQL_QUEUE", 256, 1, 100'000));
    WebSocketLimits ws_limits;
    ws_limits.max_connections_per_address =
        static_cast<std::size_t>(Env::Int("GATEWAY_WS_MAX_CONNECTIONS_PER_ADDRESS", 100, 1, 1'000'000));
    ws_limits.session.max_operations = static_cast<std::size_t>(Env::Int("GATEWAY_WS_MAX_SUBSCRIPTIONS", 100, 1, 100'000));
    ws_limits.max_message_bytes =
        static_cast<std::size_t>(Env::Int("GATEWAY_WS_MAX_MESSAGE_BYTES", 64 * 1024, 1024, 16 << 20));
    ws_limits.max_buffered_bytes =
        static_cast<std::size_t>(Env::Int("GATEWAY_WS_MAX_BUFFERED_BYTES", 1 << 20, 16 * 1024, 256 << 20));
    ws_limits.session.idle_timeout =
        std::chrono::seconds(Env::Int("GATEWAY_WS_IDLE_TIMEOUT_SECONDS", 300, 1, 7 * 24 * 3600));
    ws_limits.session.init_timeout = std::chrono::milliseconds(Env::Int("GATEWAY_WS_INIT_TIMEOUT_MS", 3000, 10, 600'000));
    ws_limits.peer_timeout = std::chrono::seconds(Env::Int("GATEWAY_WS_PEER_TIMEOUT_SECONDS", 60, 2, 3600));
    OrderStatusFeedOptions feed_options;
    feed_options.bootstrap_servers = Env::String("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    feed_options.topic = Env::String("KAFKA_TOPIC_PREFIX", "") + feed_options.topic;
    auth::JwtCodec jwt(auth::LoadJwtSecret(Env::String("ORDERSTREAM_DATA_DIR", ".data")), auth::LoadJwtLifetime());

    auto downstream = ConnectDownstream(addresses, timeout);
    GraphQLPipeline pipeline(BuildGatewaySchema(), downstream, jwt, options);
    GraphQLEndpoint endpoint(pipeline);
    GrpcOrderDirectory order_directory(*downstream.orders, timeout);
    auto order_subscriptions = std::make_shared<OrderSubscriptions>(order_directory);
    OrderStatusFeed order_feed(feed_options, [order_subscriptions](const OrderStatusChange& change) {
        order_subscriptions->Publish(change);
    });
    // Before serving: every change from the moment a client can subscribe is read.
    order_feed.Start();
    GraphQLWsEndpoint ws_endpoint(pipeline, order_subscriptions, ws_limits);

    http::ServerOptions server_options;
    server_options.address = listen;
    server_options.threads = static_cast<int>(threads);
    server_options.body_limit = static_cast<std::size_t>(body_limit);
    server_options.header_limit = static_cast<std::size_t>(Env::Int("GATEWAY_MAX_HEADER_BYTES", 16 << 10, 1024, 1 << 20));
    server_options.header_timeout = std::chrono::milliseconds(Env::Int("GATEWAY_HEADER_TIMEOUT_MS", 10'000, 100, 600'000));
    server_options.max_connections =
        static_cast<std::size_t>(Env::Int("GATEWAY_MAX_CONNECTIONS", 10'000, 1, 1'000'000));
    server_options.upgrade = [&ws_endpoint](const http::Request& request) { return ws_endpoint.Upgrade(request); };
    http::Server server(server_options, [&](http::Request&& request, http::Respond respond) {
        auto path = request.Path();
        if (path == "/graphql") return endpoint.Handle(std::move(request), std::move(respond));
        if (ServePlayground(request, respond)) return;
        if (path == "/health") return respond(http::Response::Json(200, R"({"status":"ok"})"));
        respond(http::Response::Text(404, "not found\n"));
    });
    http::ServerOptions admin_options;
    admin_options.address = admin_listen;
    http::Server admin(admin_options, [&downstream](http::Request&& request, http::Respond respond) {
        auto path = request.Path();
        if (path == "/health") return respond(http::Response::Json(200, R"({"status":"ok"})"));
        if (path == "/health/ready") {
            auto readiness = CheckDownstream(downstream);
            return respond(http::Response::Json(readiness.status, readiness.body));
        }
        if (path == "/metrics") {
            http::Response response;
            response.content_type = "text/plain; version=0.0.4; charset=utf-8";
            response.body = metrics::Registry::Global().RenderText();
            return respond(std::move(response));
        }
        respond(http::Response::Text(404, "not found\n"));
    });
    admin.Start();
    server.Start();
    spdlog::info("gateway serving GraphQL on http://{}/graphql (subscriptions: ws://{}/graphql) and the playground on "
                 "http://{}/playground",
                 listen, listen, listen);
    spdlog::info("gateway metrics and readiness on http://{}", admin_listen);

    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    int received = 0;
    sigwait(&signals, &received);
    spdlog::info("gateway received {}, shutting down", received == SIGINT ? "SIGINT" : "SIGTERM");
    // Let requests in flight finish before the server stops.
    auto& in_flight = metrics::Registry::Global().GetGauge("graphql_requests_in_flight", "GraphQL requests being served.");
    auto deadline = std::chrono::steady_clock::now() + timeout + std::chrono::seconds(1);
    while (in_flight.Value() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    server.Stop();  // WebSocket clients are told 1001 (going away) and reconnect elsewhere
    admin.Stop();
    order_feed.Stop();
    order_subscriptions->Stop(std::chrono::seconds(1));
    spdlog::info("gateway stopped");
    return 0;
}

}  // namespace orderstream::gateway
