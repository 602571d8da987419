#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "orderstream/core/error.hpp"

namespace orderstream::rpc {

// A context for a call made while serving `parent`: the parent's deadline and cancellation
// propagate, and the request id travels as x-request-id. Without a parent deadline the call
// gets `timeout`.
std::unique_ptr<grpc::ClientContext> ClientContextFor(const grpc::ServerContext* parent,
                                                      std::chrono::milliseconds timeout);

// A channel to another role; `address` is host:port (the *_URL variables).
std::shared_ptr<grpc::Channel> ChannelTo(const std::string& address);

// A downstream failure as seen by our caller: NOT_FOUND and INVALID_ARGUMENT keep their
// meaning, everything else is UNAVAILABLE naming the dependency.
Error FromDownstream(const grpc::Status& status, const std::string& dependency);

}  // namespace orderstream::rpc
