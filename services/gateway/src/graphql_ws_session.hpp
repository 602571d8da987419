#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "graphql_http.hpp"
#include "graphql_pipeline.hpp"
#include "orderstream/graphql/execution/execute.hpp"
#include "orderstream/http/websocket.hpp"

namespace orderstream::gateway {

// Where one operation's results go. Either may run on any thread; `done` runs once and ends it.
struct OperationSink {
    std::function<void(graphql::ExecutionResult result)> next;
    // Empty `errors`: the operation completed; otherwise it ended with these request errors.
    std::function<void(std::vector<graphql::GraphQLError> errors)> done;
};

// An operation in progress; Cancel() stops it (its sink may still be called once more, and is ignored).
class RunningOperation {
public:
    virtual ~RunningOperation() = default;
    virtual void Cancel() = 0;
};

// Runs the operations a session receives (the GraphQL pipeline in production, a fake in tests).
class OperationRunner {
public:
    virtual ~OperationRunner() = default;
    // Null when the runner is saturated right now: nothing started, the sink is not called; try later.
    virtual std::shared_ptr<RunningOperation> Start(const GraphQLRequest& request, const Authentication& caller,
                                                    OperationSink sink) = 0;
};

struct GraphQLWsOptions {
    std::chrono::milliseconds init_timeout{3000};    // connection_init must arrive within this (else 4408)
    std::chrono::milliseconds idle_timeout{300'000};  // no operation, and no message but pings, for this long: closed
    std::size_t max_operations = 100;                 // operations in progress on one connection
};

// One graphql-transport-ws connection: connection_init and its authentication, ping/pong, the
// operations by id with the protocol's close codes, the idle and token-expiry deadlines. Messages and
// timers arrive on the socket's strand; results from any thread.
class GraphQLWsSession : public std::enable_shared_from_this<GraphQLWsSession> {
public:
    using Authenticator = std::function<Authentication(const std::string& token)>;

    // `cookie_token`: the `token` cookie of the upgrade request, used when connection_init names no
    // authorization.
    GraphQLWsSession(std::shared_ptr<http::WebSocket> socket, OperationRunner& runner, Authenticator authenticate,
                     std::string cookie_token, GraphQLWsOptions options);

    // Arms the connection_init deadline and the idle check.
    void Start();
    void OnText(std::string_view text);
    void OnBinary();
    // The socket ended: every operation still running is cancelled.
    void OnClosed();

private:
    struct Operation {
        std::uint64_t serial = 0;
        std::shared_ptr<RunningOperation> running;
    };

    void Init(const std::optional<graphql::Value>& payload);
    void StartOperation(std::string id, GraphQLRequest request);
    void Launch(std::string id, std::uint64_t serial, GraphQLRequest request, int attempt);
    void CompleteOperation(const std::string& id);
    OperationSink SinkFor(const std::string& id, std::uint64_t serial);
    void Send(std::string message);
    void Close(int code, std::string reason);
    void CheckIdle();

    std::shared_ptr<http::WebSocket> socket_;
    OperationRunner& runner_;
    Authenticator authenticate_;
    std::string cookie_token_;
    const GraphQLWsOptions options_;
    // Strand only:
    bool init_received_ = false;
    bool closing_ = false;
    Authentication caller_;
    // Shared with result callbacks:
    std::mutex mutex_;
    std::map<std::string, Operation, std::less<>> operations_;
    std::uint64_t next_serial_ = 1;
    std::chrono::steady_clock::time_point last_activity_ = std::chrono::steady_clock::now();
    std::atomic<bool> slow_reader_{false};
};

}  // namespace orderstream::gateway
