#include "field_errors.hpp"

#include <spdlog/spdlog.h>

namespace orderstream::gateway {

graphql::FieldError FieldErrorWithCode(std::string message, const char* error_code) {
    return {std::move(message), graphql::Value(graphql::ValueObject{{"code", graphql::Value(error_code)}})};
}

graphql::FieldError FromStatus(const grpc::Status& status, const char* method) {
    switch (status.error_code()) {
        case grpc::StatusCode::INVALID_ARGUMENT:
        case grpc::StatusCode::ALREADY_EXISTS:
        case grpc::StatusCode::FAILED_PRECONDITION:
        case grpc::StatusCode::OUT_OF_RANGE:
            return FieldErrorWithCode(status.error_message(), code::kBadUserInput);
        case grpc::StatusCode::NOT_FOUND: return FieldErrorWithCode(status.error_message(), code::kNotFound);
        case grpc::StatusCode::PERMISSION_DENIED: return FieldErrorWithCode(status.error_message(), code::kForbidden);
        case grpc::StatusCode::UNAUTHENTICATED:
            return FieldErrorWithCode(status.error_message(), code::kUnauthenticated);
        case grpc::StatusCode::UNAVAILABLE:
        case grpc::StatusCode::DEADLINE_EXCEEDED:
        case grpc::StatusCode::RESOURCE_EXHAUSTED:
            spdlog::warn("{} unavailable: {} ({})", method, status.error_message(), static_cast<int>(status.error_code()));
            return FieldErrorWithCode("a service is unavailable, retry later", code::kUnavailable);
        default:
            spdlog::error("{} failed: {} ({})", method, status.error_message(), static_cast<int>(status.error_code()));
            return FieldErrorWithCode("internal error", code::kInternal);
    }
}

}  // namespace orderstream::gateway
