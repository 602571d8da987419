#include "orderstream/rpc/call.hpp"

#include <gtest/gtest.h>

namespace rpc = orderstream::rpc;
using orderstream::Error;

namespace {

TEST(RpcCall, ErrorsMapToTheirGrpcCodes) {
    EXPECT_EQ(rpc::ToGrpc(Error::InvalidArgument("name is empty")).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(rpc::ToGrpc(Error::InvalidArgument("name is empty")).error_message(), "name is empty");
    EXPECT_EQ(rpc::ToGrpcCode(orderstream::ErrorCode::kNotFound), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(rpc::ToGrpcCode(orderstream::ErrorCode::kAlreadyExists), grpc::StatusCode::ALREADY_EXISTS);
    EXPECT_EQ(rpc::ToGrpcCode(orderstream::ErrorCode::kPermissionDenied), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(rpc::ToGrpcCode(orderstream::ErrorCode::kUnauthenticated), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(rpc::ToGrpcCode(orderstream::ErrorCode::kFailedPrecondition), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(rpc::ToGrpcCode(orderstream::ErrorCode::kUnavailable), grpc::StatusCode::UNAVAILABLE);
    EXPECT_EQ(rpc::ToGrpcCode(orderstream::ErrorCode::kInternal), grpc::StatusCode::INTERNAL);
    EXPECT_EQ(rpc::CodeName(grpc::StatusCode::UNAUTHENTICATED), "UNAUTHENTICATED");
}

TEST(RpcCall, HandleRecordsMetricsAndHidesExceptionDetails) {
    grpc::ServerContext context;
    rpc::MethodMetrics metrics("test.Service/Method");
    auto ok = rpc::Handle(&context, metrics, "Method", [] { return grpc::Status::OK; });
    EXPECT_TRUE(ok.ok());
    auto failed = rpc::Handle(&context, metrics, "Method", []() -> grpc::Status {
        throw std::runtime_error("secret connection string");
    });
    EXPECT_EQ(failed.error_code(), grpc::StatusCode::INTERNAL);
    EXPECT_EQ(failed.error_message(), "internal error");
    auto text = orderstream::metrics::Registry::Global().RenderText();
    EXPECT_NE(text.find("grpc_server_handled_total{method=\"test.Service/Method\",code=\"OK\"} 1\n"), std::string::npos);
    EXPECT_NE(text.find("grpc_server_handled_total{method=\"test.Service/Method\",code=\"INTERNAL\"} 1\n"),
              std::string::npos);
    EXPECT_NE(text.find("grpc_server_handling_seconds_count{method=\"test.Service/Method\"} 2\n"), std::string::npos);
}

TEST(RpcCall, HandleRunsTheBodyUnderANewRequestId) {
    grpc::ServerContext context;
    rpc::MethodMetrics metrics("test.Service/Id");
    std::string seen;
    rpc::Handle(&context, metrics, "Id", [&] {
        seen = orderstream::log::CurrentRequestId();
        return grpc::Status::OK;
    });
    EXPECT_EQ(seen.size(), 32U);
    EXPECT_EQ(orderstream::log::CurrentRequestId(), "");
}

}  // namespace
