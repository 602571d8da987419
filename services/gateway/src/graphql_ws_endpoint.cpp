#include "graphql_ws_endpoint.hpp"

#include <algorithm>
#include <cctype>

#include <spdlog/spdlog.h>

#include "field_errors.hpp"
#include "graphql_endpoint.hpp"
#include "graphql_ws_protocol.hpp"
#include "orderstream/core/log.hpp"
#include "orderstream/core/metrics.hpp"

namespace orderstream::gateway {
namespace {

struct WsMetrics {
    metrics::Gauge& open = metrics::Registry::Global().GetGauge("gateway_ws_connections",
                                                                  "Open GraphQL WebSocket connections.");
    metrics::Counter& accepted = metrics::Registry::Global().GetCounter(
        "gateway_ws_connections_total", "GraphQL WebSocket connections accepted.");
    metrics::Counter& per_address = metrics::Registry::Global().GetCounter(
        "gateway_ws_refused_total", "WebSocket upgrade requests refused, by reason.", {{"reason", "per_address_limit"}});
    metrics::Counter& subprotocol = metrics::Registry::Global().GetCounter(
        "gateway_ws_closed_total", "WebSocket connections the gateway closed, by reason.", {{"reason", "subprotocol"}});
};

WsMetrics& Metrics() {
    static WsMetrics instance;
    return instance;
}

void CountOperation(graphql::ast::OperationType type) {
    static auto& queries = metrics::Registry::Global().GetCounter(
        "gateway_ws_operations_total", "Operations started over WebSocket, by type.", {{"type", "query"}});
    static auto& mutations = metrics::Registry::Global().GetCounter(
        "gateway_ws_operations_total", "Operations started over WebSocket, by type.", {{"type", "mutation"}});
    static auto& subscriptions = metrics::Registry::Global().GetCounter(
        "gateway_ws_operations_total", "Operations started over WebSocket, by type.", {{"type", "subscription"}});
    switch (type) {
        case graphql::ast::OperationType::Query: return queries.Increment();
        case graphql::ast::OperationType::Mutation: return mutations.Increment();
        case graphql::ast::OperationType::Subscription: return subscriptions.Increment();
    }
}

std::string Lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

bool OffersSubprotocol(std::string_view header) {
    std::size_t start = 0;
    while (start <= header.size()) {
        auto comma = header.find(',', start);
        if (comma == std::string_view::npos) comma = header.size();
        auto item = header.substr(start, comma - start);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
        if (item == graphql_ws::kSubprotocol) return true;
        start = comma + 1;
    }
    return false;
}

}  // namespace

bool SameOrigin(const http::Request& request) {
    auto origin = request.Header("origin");
    if (origin.empty()) return true;
    auto scheme = origin.find("://");
    if (scheme == std::string_view::npos) return false;
    return Lower(origin.substr(scheme + 3)) == Lower(request.Header("host"));
}

// One connection's place in its address's count; released when the connection (or its failed
// handshake) ends.
class GraphQLWsEndpoint::AddressSlot {
public:
    AddressSlot(GraphQLWsEndpoint& endpoint, std::string address) : endpoint_(endpoint), address_(std::move(address)) {}
    ~AddressSlot() {
        std::lock_guard lock(endpoint_.mutex_);
        auto found = endpoint_.connections_by_address_.find(address_);
        if (found != endpoint_.connections_by_address_.end() && --found->second == 0) {
            endpoint_.connections_by_address_.erase(found);
        }
    }

private:
    GraphQLWsEndpoint& endpoint_;
    std::string address_;
};

// An operation handed to the pipeline's threads; a subscription it starts is cancelled with it.
class GraphQLWsEndpoint::PipelineOperation : public RunningOperation {
public:
    void Cancel() override {
        std::shared_ptr<graphql::Subscription> subscription;
        {
            std::lock_guard lock(mutex_);
            cancelled_ = true;
            subscription.swap(subscription_);
        }
        if (subscription) subscription->cancel();
    }
    bool cancelled() {
        std::lock_guard lock(mutex_);
        return cancelled_;
    }
    void Attach(std::shared_ptr<graphql::Subscription> subscription) {
        {
            std::lock_guard lock(mutex_);
            if (!cancelled_) {
                subscription_ = std::move(subscription);
                return;
            }
        }
        subscription->cancel();
    }

private:
    std::mutex mutex_;
    bool cancelled_ = false;
    std::shared_ptr<graphql::Subscription> subscription_;
};

GraphQLWsEndpoint::GraphQLWsEndpoint(GraphQLPipeline& pipeline, std::shared_ptr<OrderSubscriptions> subscriptions,
                                     WebSocketLimits limits)
    : pipeline_(pipeline), subscriptions_(std::move(subscriptions)), limits_(limits) {}

std::shared_ptr<GraphQLWsEndpoint::AddressSlot> GraphQLWsEndpoint::Reserve(const std::string& address) {
    std::lock_guard lock(mutex_);
    auto& count = connections_by_address_[address];
    if (count >= limits_.max_connections_per_address) {
        if (count == 0) connections_by_address_.erase(address);
        return nullptr;
    }
    ++count;
    return std::make_shared<AddressSlot>(*this, address);
}

std::variant<http::Response, http::WebSocketAccept> GraphQLWsEndpoint::Upgrade(const http::Request& request) {
    if (request.Path() != "/graphql") return http::Response::Text(404, "not found\n");
    auto slot = Reserve(request.remote_address);
    if (!slot) {
        Metrics().per_address.Increment();
        auto refusal = http::Response::Text(429, "too many WebSocket connections from this address\n");
        refusal.headers.emplace_back("Retry-After", "5");
        return refusal;
    }
    bool offered = OffersSubprotocol(request.Header("sec-websocket-protocol"));
    std::string cookie_token = SameOrigin(request) ? TokenCookieOf(request) : std::string();

    http::WebSocketAccept accept;
    accept.subprotocol = offered ? std::string(graphql_ws::kSubprotocol) : std::string();
    accept.max_message_bytes = limits_.max_message_bytes;
    accept.max_buffered_bytes = limits_.max_buffered_bytes;
    accept.peer_timeout = limits_.peer_timeout;
    accept.open = [this, slot, offered, cookie_token](std::shared_ptr<http::WebSocket> socket) {
        http::WebSocketHandlers handlers;
        if (!offered) {
            // As graphql-ws servers do: the handshake succeeds, then the socket says why it is unusable.
            Metrics().subprotocol.Increment();
            socket->Close(graphql_ws::kSubprotocolNotAcceptable, "Subprotocol not acceptable");
            return handlers;
        }
        Metrics().accepted.Increment();
        Metrics().open.Add(1);
        auto session = std::make_shared<GraphQLWsSession>(
            socket, *this, [this](const std::string& token) { return pipeline_.Authenticate(token, false); },
            cookie_token, limits_.session);
        session->Start();
        handlers.text = [session](std::string_view text) { session->OnText(text); };
        handlers.binary = [session] { session->OnBinary(); };
        handlers.closed = [session, slot] {
            session->OnClosed();
            Metrics().open.Add(-1);
        };
        return handlers;
    };
    return accept;
}

std::shared_ptr<RunningOperation> GraphQLWsEndpoint::Start(const GraphQLRequest& request, const Authentication& caller,
                                                           OperationSink sink) {
    auto operation = std::make_shared<PipelineOperation>();
    auto job = [this, operation, request, caller, sink]() mutable { Run(operation, std::move(request), caller, sink); };
    if (!pipeline_.Submit(std::move(job))) return nullptr;  // the session tries again shortly
    return operation;
}

// parse → prepare → execute once, or subscribe
void GraphQLWsEndpoint::Run(const std::shared_ptr<PipelineOperation>& operation, GraphQLRequest request,
                            const Authentication& caller, const OperationSink& sink) {
    if (operation->cancelled()) return;
    auto refused = [&](const Refusal& refusal) {
        CountRequest(refusal.label, refusal.outcome);
        sink.done(refusal.errors);
    };
    auto parsed = pipeline_.Parse(request);
    if (auto* refusal = std::get_if<Refusal>(&parsed)) return refused(*refusal);
    auto prepared = pipeline_.Prepare(std::get<ParsedDocument>(std::move(parsed)), std::move(request));
    if (auto* refusal = std::get_if<Refusal>(&prepared)) return refused(*refusal);
    auto& ready = std::get<PreparedOperation>(prepared);
    auto type = ready.operation->operation;
    CountOperation(type);
    auto context = pipeline_.NewContext(log::NewRequestId(), caller, subscriptions_.get());
    auto label = ready.label;
    if (type == graphql::ast::OperationType::Subscription) {
        CountRequest(label, "subscribed");
        operation->Attach(pipeline_.Subscribe(std::move(ready), context, {sink.next, sink.done}));
        return;
    }
    pipeline_.Execute(std::move(ready), context, [sink, label](graphql::ExecutionResult result) {
        CountRequest(label, result.errors.empty() ? "ok" : "errors");
        // A result without data failed before execution (e.g. its variables): the protocol's error message.
        if (!result.data) return sink.done(std::move(result.errors));
        sink.next(std::move(result));
        sink.done({});
    });
}

}  // namespace orderstream::gateway
