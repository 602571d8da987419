#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include "orderstream/core/error.hpp"
#include "orderstream/core/log.hpp"
#include "orderstream/core/metrics.hpp"
#include "orderstream/rpc/security.hpp"

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

enum class UserCredential {
    kNone,      // the method does not act for a user (a token that comes along is still verified)
    kRequired,  // it acts for the signed-in user: over TLS a call without the user's token is refused
};

// Who may call a method: the roles whose certificates may (on development plaintext every
// local caller may), and whether it acts for a signed-in user.
struct MethodPolicy {
    std::vector<std::string> callers;
    UserCredential user = UserCredential::kNone;
};

// The admitted caller of one call, for the method's own rules.
class Caller {
public:
    Caller(std::string role, std::optional<auth::Claims> user) : role_(std::move(role)), user_(std::move(user)) {}

    // The role of the certificate; empty for a development caller on loopback plaintext.
    const std::string& role() const { return role_; }
    // The verified user the call acts for, if a token came with it.
    const std::optional<auth::Claims>& user() const { return user_; }

    // The account the call acts for: the user's. Without a user token (a development caller,
    // or the operator) the account the request names in `field`. PERMISSION_DENIED when the
    // request names an account other than the user's (0 means "not given").
    Result<std::uint64_t> Account(std::uint64_t claimed, std::string_view field) const;
    // An admin user; without a user token a development caller or the operator counts as one.
    bool Admin() const;
    // OK for the account `owner` itself or an admin; PERMISSION_DENIED with `refusal` otherwise.
    Status RequireAccountOrAdmin(std::uint64_t owner, std::string refusal) const;
    Status RequireAdmin(std::string_view what) const;

private:
    std::string role_;
    std::optional<auth::Claims> user_;
};

// One gRPC method: its policy and its metrics, created once per method.
class Method {
public:
    Method(std::string full_name, MethodPolicy policy);

    // The caller if the policy admits it: PERMISSION_DENIED for a role that may not call the
    // method, UNAUTHENTICATED for a forged or missing user token.
    Result<Caller> Admit(const grpc::ServerContext& context) const;
    MethodMetrics& metrics() { return metrics_; }
    const std::string& name() const { return name_; }

private:
    std::string name_;
    MethodPolicy policy_;
    MethodMetrics metrics_;
};

// Runs one handler body for an admitted caller (`body(const Caller&)` returns grpc::Status)
// with the call's request id in the log scope, maps exceptions to INTERNAL (details to the
// log only) and records metrics; a refused caller never reaches the body.
template <typename Body>
grpc::Status Handle(grpc::ServerContext* context, Method& method, Body&& body) {
    log::RequestScope scope(RequestIdOf(*context));
    InFlightCalls().fetch_add(1);
    struct Done {
        ~Done() { InFlightCalls().fetch_sub(1); }
    } done;
    auto started = std::chrono::steady_clock::now();
    grpc::Status status;
    try {
        auto caller = method.Admit(*context);
        if (caller.ok()) {
            status = body(*caller);
        } else {
            spdlog::warn("{} refused: {}", method.name(), caller.error().message);
            status = ToGrpc(caller.error());
        }
    } catch (const UnavailableError& e) {
        spdlog::warn("{} unavailable: {}", method.name(), e.what());
        status = grpc::Status(grpc::StatusCode::UNAVAILABLE, "a dependency is unavailable, retry later");
    } catch (const std::exception& e) {
        spdlog::error("{} failed: {}", method.name(), e.what());
        status = grpc::Status(grpc::StatusCode::INTERNAL, "internal error");
    }
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    method.metrics().Record(status.error_code(), seconds);
    // One line per call at debug level, under the caller's request id: a request can be
    // followed through every role's log (LOG_LEVEL=debug).
    spdlog::debug("{} {} in {:.1f} ms", method.name(), CodeName(status.error_code()), seconds * 1000);
    return status;
}

}  // namespace orderstream::rpc
