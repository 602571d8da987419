#pragma once

#include <string>

#include <grpcpp/grpcpp.h>

#include "orderstream/graphql/execution/resolver.hpp"

namespace orderstream::gateway {

// The extensions.code values clients can act on.
namespace code {
inline constexpr const char* kUnauthenticated = "UNAUTHENTICATED";
inline constexpr const char* kForbidden = "FORBIDDEN";
inline constexpr const char* kBadUserInput = "BAD_USER_INPUT";
inline constexpr const char* kNotFound = "NOT_FOUND";
inline constexpr const char* kUnavailable = "UNAVAILABLE";
inline constexpr const char* kInternal = "INTERNAL";
}  // namespace code

graphql::FieldError FieldErrorWithCode(std::string message, const char* error_code);

// A downstream gRPC failure as the client sees it; internal details go to the log only.
graphql::FieldError FromStatus(const grpc::Status& status, const char* method);

}  // namespace orderstream::gateway
