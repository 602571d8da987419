#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include <grpcpp/grpcpp.h>

#include "orderstream/core/error.hpp"

namespace orderstream::rpc {

// A context for a call made while serving `parent`: the parent's deadline and cancellation
// propagate, the request id travels as x-request-id and the user's token (security.hpp) as
// it came. Without a parent deadline the call gets `timeout`.
std::unique_ptr<grpc::ClientContext> ClientContextFor(const grpc::ServerContext* parent,
                                                      std::chrono::milliseconds timeout);

// A channel to the role `role` at `address` (host:port, or any gRPC target: the *_URL
// variables), with this process's transport security (security.hpp).
std::shared_ptr<grpc::Channel> ChannelTo(const std::string& address, std::string_view role);

// A downstream failure as seen by our caller: NOT_FOUND and INVALID_ARGUMENT keep their
// meaning, everything else is UNAVAILABLE naming the dependency.
Error FromDownstream(const grpc::Status& status, const std::string& dependency);

}  // namespace orderstream::rpc
