#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <exception>
#include <string>

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include "orderstream/core/error.hpp"
#include "orderstream/core/log.hpp"
#include "orderstream/core/metrics.hpp"

namespace orderstream::rpc {

grpc::StatusCode ToGrpcCode(ErrorCode code);
grpc::Status ToGrpc(const Error& error);
std::string CodeName(grpc::StatusCode code);

// The request id of an incoming call: x-request-id metadata, else the trace id of a W3C
// traceparent, else a new id.
std::string RequestIdOf(const grpc::ServerContext& context);

// Per-method call counters (by status code) and a latency histogram, created once per method.
class MethodMetrics {
public:
    explicit MethodMetrics(const std::string& method);
    void Record(grpc::StatusCode code, double seconds);

private:
    std::array<metrics::Counter*, 17> by_code_{};
    metrics::Histogram* latency_;
};

// Calls being handled right now in this process (for graceful shutdown).
std::atomic<int>& InFlightCalls();

// Runs one handler body with the call's request id in the log scope, maps exceptions to
// INTERNAL (details to the log only) and records metrics. `body` returns grpc::Status.
template <typename Body>
grpc::Status Handle(grpc::ServerContext* context, MethodMetrics& metrics, const char* method, Body&& body) {
    log::RequestScope scope(RequestIdOf(*context));
    InFlightCalls().fetch_add(1);
    struct Done {
        ~Done() { InFlightCalls().fetch_sub(1); }
    } done;
    auto started = std::chrono::steady_clock::now();
    grpc::Status status;
    try {
        status = body();
    } catch (const UnavailableError& e) {
        spdlog::warn("{} unavailable: {}", method, e.what());
        status = grpc::Status(grpc::StatusCode::UNAVAILABLE, "a dependency is unavailable, retry later");
    } catch (const std::exception& e) {
        spdlog::error("{} failed: {}", method, e.what());
        status = grpc::Status(grpc::StatusCode::INTERNAL, "internal error");
    }
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics.Record(status.error_code(), seconds);
    // One line per call at debug level, under the caller's request id: a request can be
    // followed through every role's log (LOG_LEVEL=debug).
    spdlog::debug("{} {} in {:.1f} ms", method, CodeName(status.error_code()), seconds * 1000);
    return status;
}

}  // namespace orderstream::rpc
