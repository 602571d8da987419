#include "orderstream/rpc/call.hpp"

#include <algorithm>

#include "orderstream/core/trace_context.hpp"

namespace orderstream::rpc {

std::atomic<int>& InFlightCalls() {
    static std::atomic<int> calls{0};
    return calls;
}

grpc::StatusCode ToGrpcCode(ErrorCode code) {
    switch (code) {
        case ErrorCode::kInvalidArgument: return grpc::StatusCode::INVALID_ARGUMENT;
        case ErrorCode::kNotFound: return grpc::StatusCode::NOT_FOUND;
        case ErrorCode::kAlreadyExists: return grpc::StatusCode::ALREADY_EXISTS;
        case ErrorCode::kPermissionDenied: return grpc::StatusCode::PERMISSION_DENIED;
        case ErrorCode::kUnauthenticated: return grpc::StatusCode::UNAUTHENTICATED;
        case ErrorCode::kFailedPrecondition: return grpc::StatusCode::FAILED_PRECONDITION;
        case ErrorCode::kUnavailable: return grpc::StatusCode::UNAVAILABLE;
        case ErrorCode::kInternal: return grpc::StatusCode::INTERNAL;
    }
    return grpc::StatusCode::INTERNAL;
}

grpc::Status ToGrpc(const Error& error) { return {ToGrpcCode(error.code), error.message}; }

std::string CodeName(grpc::StatusCode code) {
    static const char* const kNames[] = {"OK",
                                         "CANCELLED",
                                         "UNKNOWN",
                                         "INVALID_ARGUMENT",
                                         "DEADLINE_EXCEEDED",
                                         "NOT_FOUND",
                                         "ALREADY_EXISTS",
                                         "PERMISSION_DENIED",
                                         "RESOURCE_EXHAUSTED",
                                         "FAILED_PRECONDITION",
                                         "ABORTED",
                                         "OUT_OF_RANGE",
                                         "UNIMPLEMENTED",
                                         "INTERNAL",
                                         "UNAVAILABLE",
                                         "DATA_LOSS",
                                         "UNAUTHENTICATED"};
    auto index = static_cast<int>(code);
    return index >= 0 && index < 17 ? kNames[index] : "UNKNOWN";
}

std::string RequestIdOf(const grpc::ServerContext& context) {
    const auto& metadata = context.client_metadata();
    if (auto it = metadata.find("x-request-id"); it != metadata.end() && !it->second.empty() &&
                                                 it->second.size() <= 128) {
        return {it->second.data(), it->second.size()};
    }
    if (auto it = metadata.find(std::string(trace::kTraceparentHeader)); it != metadata.end()) {
        if (auto trace_id = trace::ParseTraceparent({it->second.data(), it->second.size()})) return *trace_id;
    }
    return log::NewRequestId();
}

MethodMetrics::MethodMetrics(const std::string& method) {
    auto& registry = metrics::Registry::Global();
    for (int code = 0; code < 17; ++code) {
        by_code_[static_cast<std::size_t>(code)] = &registry.GetCounter(
            "grpc_server_handled_total", "gRPC calls completed, by method and status code.",
            {{"method", method}, {"code", CodeName(static_cast<grpc::StatusCode>(code))}});
    }
    latency_ = &registry.GetHistogram("grpc_server_handling_seconds", "gRPC call latency in seconds, by method.",
                                      {{"method", method}});
}

void MethodMetrics::Record(grpc::StatusCode code, double seconds) {
    auto index = static_cast<std::size_t>(code);
    if (index < by_code_.size()) by_code_[index]->Increment();
    latency_->Observe(seconds);
}

Result<std::uint64_t> Caller::Account(std::uint64_t claimed, std::string_view field) const {
    if (!user_) return claimed;
    if (claimed != 0 && claimed != user_->account_id) {
        return Error::PermissionDenied(std::string(field) + " " + std::to_string(claimed) +
                                       " is not the signed-in account " + std::to_string(user_->account_id));
    }
    return user_->account_id;
}

bool Caller::Admin() const {
    if (user_) return user_->role == auth::Role::kAdmin;
    return role_.empty() || role_ == "operator";
}

Status Caller::RequireAccountOrAdmin(std::uint64_t owner, std::string refusal) const {
    // Without a user token only trusted callers reach a method's body: a development caller,
    // the operator, or a role the method admits for calls that act for no user.
    if (!user_ || user_->account_id == owner || user_->role == auth::Role::kAdmin) return Status::Ok();
    return Error::PermissionDenied(std::move(refusal));
}

Status Caller::RequireAdmin(std::string_view what) const {
    if (Admin()) return Status::Ok();
    return Error::PermissionDenied(std::string(what) + " is for admins");
}

Method::Method(std::string full_name, MethodPolicy policy)
    : name_(std::move(full_name)), policy_(std::move(policy)), metrics_(name_) {}

Result<Caller> Method::Admit(const grpc::ServerContext& context) const {
    auto role = PeerRole(context);
    if (!role.empty() && std::find(policy_.callers.begin(), policy_.callers.end(), role) == policy_.callers.end()) {
        return Error::PermissionDenied("the " + role + " role may not call " + name_);
    }
    auto user = ForwardedUser(context);
    if (!user.ok()) return user.error();
    if (!role.empty() && !user->has_value() && policy_.user == UserCredential::kRequired && role != "operator") {
        return Error::Unauthenticated(name_ + " acts for a signed-in user: the call carries no user token");
    }
    return Caller(std::move(role), std::move(*user));
}

}  // namespace orderstream::rpc
