#include "graphql_ws_session.hpp"

#include <spdlog/spdlog.h>

#include "field_errors.hpp"
#include "graphql_ws_protocol.hpp"
#include "orderstream/core/metrics.hpp"

namespace orderstream::gateway {
namespace {

using Clock = std::chrono::steady_clock;

// gateway_ws_closed_total{reason}: connections the gateway closed, by why. Reasons are fixed strings.
void CountClose(const char* reason) {
    metrics::Registry::Global()
        .GetCounter("gateway_ws_closed_total", "WebSocket connections the gateway closed, by reason.",
                    {{"reason", reason}})
        .Increment();
}

const char* CloseReasonLabel(int code) {
    switch (code) {
        case graphql_ws::kBadRequest: return "bad_message";
        case graphql_ws::kUnauthorized: return "unauthorized";
        case graphql_ws::kForbidden: return "forbidden";
        case graphql_ws::kConnectionInitialisationTimeout: return "init_timeout";
        case graphql_ws::kSubscriberAlreadyExists: return "duplicate_id";
        case graphql_ws::kTooManyInitialisationRequests: return "too_many_inits";
        case http::kCloseNormal: return "idle";
        default: return "other";
    }
}

void CountRefusedOperation(const char* reason) {
    metrics::Registry::Global()
        .GetCounter("gateway_ws_operations_refused_total",
                    "Operations refused on a WebSocket before they started, by reason.", {{"reason", reason}})
        .Increment();
}

void CountDeferredOperation() {
    static auto& deferred = metrics::Registry::Global().GetCounter(
        "gateway_ws_operations_deferred_total",
        "Times a WebSocket operation waited for the GraphQL threads because they were saturated.");
    deferred.Increment();
}

}  // namespace

GraphQLWsSession::GraphQLWsSession(std::shared_ptr<http::WebSocket> socket, OperationRunner& runner,
                                   Authenticator authenticate, std::string cookie_token, GraphQLWsOptions options)
    : socket_(std::move(socket)),
      runner_(runner),
      authenticate_(std::move(authenticate)),
      cookie_token_(std::move(cookie_token)),
      options_(options) {}

void GraphQLWsSession::Start() {
    std::weak_ptr<GraphQLWsSession> weak = weak_from_this();
    socket_->After(options_.init_timeout, [weak] {
        auto self = weak.lock();
        if (self && !self->init_received_) {
            self->Close(graphql_ws::kConnectionInitialisationTimeout, "Connection initialisation timeout");
        }
    });
    socket_->After(options_.idle_timeout, [weak] {
        if (auto self = weak.lock()) self->CheckIdle();
    });
}

void GraphQLWsSession::OnText(std::string_view text) {
    if (closing_) return;
    auto parsed = graphql_ws::ParseClientMessage(text);
    if (auto* bad = std::get_if<graphql_ws::BadMessage>(&parsed)) return Close(graphql_ws::kBadRequest, bad->reason);
    auto& message = std::get<graphql_ws::ClientMessage>(parsed);
    // Pings keep a socket alive at the transport level, but do not make an idle connection busy.
    if (!std::holds_alternative<graphql_ws::Ping>(message) && !std::holds_alternative<graphql_ws::Pong>(message)) {
        std::lock_guard lock(mutex_);
        last_activity_ = Clock::now();
    }
    if (auto* init = std::get_if<graphql_ws::ConnectionInit>(&message)) return Init(init->payload);
    if (std::holds_alternative<graphql_ws::Ping>(message)) return Send(graphql_ws::PongMessage());
    if (std::holds_alternative<graphql_ws::Pong>(message)) return;
    if (auto* subscribe = std::get_if<graphql_ws::Subscribe>(&message)) {
        if (!init_received_) return Close(graphql_ws::kUnauthorized, "Unauthorized");
        return StartOperation(std::move(subscribe->id), std::move(subscribe->request));
    }
    CompleteOperation(std::get<graphql_ws::Complete>(message).id);
}

void GraphQLWsSession::OnBinary() {
    if (closing_) return;
    Close(graphql_ws::kBadRequest, "binary messages are not part of graphql-transport-ws");
}

void GraphQLWsSession::Init(const std::optional<graphql::Value>& payload) {
    if (init_received_) return Close(graphql_ws::kTooManyInitialisationRequests, "Too many initialisation requests");
    init_received_ = true;
    auto from_payload = graphql_ws::TokenOfInitPayload(payload);
    if (from_payload.malformed) return Close(graphql_ws::kForbidden, "Forbidden: authorization must be \"Bearer <token>\"");
    const std::string& token = from_payload.present ? from_payload.token : cookie_token_;
    if (!token.empty()) {
        caller_ = authenticate_(token);
        // An HTTP request with a bad token gets UNAUTHENTICATED fields; a connection is refused outright.
        if (!caller_.caller) return Close(graphql_ws::kForbidden, "Forbidden: " + caller_.failure);
    }
    Send(graphql_ws::ConnectionAckMessage());
    if (caller_.caller) {
        // The connection lives no longer than its token.
        auto now = std::chrono::system_clock::now();
        auto expires = std::chrono::system_clock::time_point(std::chrono::seconds(caller_.caller->expires_at));
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(expires - now);
        std::weak_ptr<GraphQLWsSession> weak = weak_from_this();
        socket_->After(std::max(left, std::chrono::milliseconds(0)), [weak] {
            if (auto self = weak.lock()) self->Close(graphql_ws::kForbidden, "Forbidden: token expired");
        });
    }
}

void GraphQLWsSession::StartOperation(std::string id, GraphQLRequest request) {
    std::uint64_t serial = 0;
    bool duplicate = false;
    {
        std::lock_guard lock(mutex_);
        if (operations_.count(id) != 0) {
            duplicate = true;
        } else if (operations_.size() >= options_.max_operations) {
            CountRefusedOperation("too_many");
            socket_->SendText(graphql_ws::ErrorMessage(
                id, {RequestError("this connection already runs " + std::to_string(options_.max_operations) +
                                      " operations; complete one first",
                                  code::kBadUserInput)}));
            return;
        } else {
            serial = next_serial_++;
            operations_.emplace(id, Operation{serial, nullptr});
        }
    }
    if (duplicate) return Close(graphql_ws::kSubscriberAlreadyExists, "Subscriber for " + id + " already exists");
    Launch(std::move(id), serial, std::move(request), 0);
}

void GraphQLWsSession::Launch(std::string id, std::uint64_t serial, GraphQLRequest request, int attempt) {
    auto running = runner_.Start(request, caller_, SinkFor(id, serial));
    if (running) {
        std::lock_guard lock(mutex_);
        auto found = operations_.find(id);
        if (found != operations_.end() && found->second.serial == serial) found->second.running = std::move(running);
        return;
    }
    // The GraphQL threads are saturated (say every client of a restarted instance resubscribing at once):
    // the operation waits its turn on this connection, with backoff, before it is refused.
    static constexpr int kBackoffMs[] = {10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000};
    if (attempt >= static_cast<int>(std::size(kBackoffMs))) {
        CountRefusedOperation("busy");
        CountRequest(kOtherOperations, "busy");
        return SinkFor(id, serial).done({RequestError("the server is busy; retry shortly", code::kUnavailable)});
    }
    CountDeferredOperation();
    std::weak_ptr<GraphQLWsSession> weak = weak_from_this();
    socket_->After(std::chrono::milliseconds(kBackoffMs[attempt]),
                   [weak, id = std::move(id), serial, request = std::move(request), attempt]() mutable {
                       auto self = weak.lock();
                       if (!self) return;
                       {
                           std::lock_guard lock(self->mutex_);
                           auto found = self->operations_.find(id);
                           if (found == self->operations_.end() || found->second.serial != serial) return;  // completed
                       }
                       self->Launch(std::move(id), serial, std::move(request), attempt + 1);
                   });
}

void GraphQLWsSession::CompleteOperation(const std::string& id) {
    std::shared_ptr<RunningOperation> running;
    {
        std::lock_guard lock(mutex_);
        auto found = operations_.find(id);
        if (found == operations_.end()) return;  // already over: the protocol says to ignore it
        running = std::move(found->second.running);
        operations_.erase(found);
        last_activity_ = Clock::now();
    }
    if (running) running->Cancel();
}

OperationSink GraphQLWsSession::SinkFor(const std::string& id, std::uint64_t serial) {
    std::weak_ptr<GraphQLWsSession> weak = weak_from_this();
    OperationSink sink;
    // Messages are sent under the lock, so nothing for an operation follows its completion.
    sink.next = [weak, id, serial](graphql::ExecutionResult result) {
        auto self = weak.lock();
        if (!self) return;
        std::lock_guard lock(self->mutex_);
        auto found = self->operations_.find(id);
        if (found == self->operations_.end() || found->second.serial != serial) return;
        self->Send(graphql_ws::NextMessage(id, result));
    };
    sink.done = [weak, id, serial](std::vector<graphql::GraphQLError> errors) {
        auto self = weak.lock();
        if (!self) return;
        std::lock_guard lock(self->mutex_);
        auto found = self->operations_.find(id);
        if (found == self->operations_.end() || found->second.serial != serial) return;
        self->operations_.erase(found);
        self->last_activity_ = Clock::now();
        self->Send(errors.empty() ? graphql_ws::CompleteMessage(id) : graphql_ws::ErrorMessage(id, errors));
    };
    return sink;
}

void GraphQLWsSession::Send(std::string message) {
    if (socket_->SendText(std::move(message)) == http::WebSocket::Sent::kTooSlow) {
        // Logged and counted once: the socket is already being torn down.
        if (!slow_reader_.exchange(true)) {
            CountClose("slow_reader");
            spdlog::info("websocket client {} is not reading its messages: disconnected", socket_->remote_address());
        }
    }
}

void GraphQLWsSession::Close(int code, std::string reason) {
    if (closing_) return;
    closing_ = true;
    CountClose(CloseReasonLabel(code));
    socket_->Close(code, std::move(reason));
}

void GraphQLWsSession::CheckIdle() {
    std::chrono::milliseconds wait = options_.idle_timeout;
    {
        std::lock_guard lock(mutex_);
        if (operations_.empty()) {
            auto idle = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - last_activity_);
            if (idle >= options_.idle_timeout) {
                wait = std::chrono::milliseconds(0);
            } else {
                wait = options_.idle_timeout - idle;
            }
        }
    }
    if (wait.count() == 0) return Close(http::kCloseNormal, "idle");
    std::weak_ptr<GraphQLWsSession> weak = weak_from_this();
    socket_->After(wait, [weak] {
        if (auto self = weak.lock()) self->CheckIdle();
    });
}

void GraphQLWsSession::OnClosed() {
    std::map<std::string, Operation, std::less<>> operations;
    {
        std::lock_guard lock(mutex_);
        operations.swap(operations_);
    }
    closing_ = true;
    for (auto& [id, operation] : operations) {
        if (operation.running) operation.running->Cancel();
    }
}

}  // namespace orderstream::gateway
