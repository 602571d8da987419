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
    rpc::Method method("test.Service/Method", {{"gateway"}});
    auto ok = rpc::Handle(&context, method, [](const rpc::Caller&) { return grpc::Status::OK; });
    EXPECT_TRUE(ok.ok());
    auto failed = rpc::Handle(&context, method, [](const rpc::Caller&) -> grpc::Status {
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
    rpc::Method method("test.Service/Id", {{"gateway"}});
    std::string seen;
    rpc::Handle(&context, method, [&](const rpc::Caller&) {
        seen = orderstream::log::CurrentRequestId();
        return grpc::Status::OK;
    });
    EXPECT_EQ(seen.size(), 32U);
    EXPECT_EQ(orderstream::log::CurrentRequestId(), "");
}

orderstream::auth::Claims User(std::uint64_t id, orderstream::auth::Role role = orderstream::auth::Role::kCustomer) {
    orderstream::auth::Claims claims;
    claims.account_id = id;
    claims.role = role;
    return claims;
}

TEST(RpcCaller, ASignedInUserActsForThemselvesWhateverTheRequestNames) {
    rpc::Caller caller("gateway", User(7));
    EXPECT_EQ(*caller.Account(0, "accountId"), 7U);  // not given: the user's
    EXPECT_EQ(*caller.Account(7, "accountId"), 7U);
    auto other = caller.Account(8, "accountId");
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error().code, orderstream::ErrorCode::kPermissionDenied);
    EXPECT_EQ(other.error().message, "accountId 8 is not the signed-in account 7");
    EXPECT_FALSE(caller.Admin());
    EXPECT_TRUE(caller.RequireAccountOrAdmin(7, "order 1 is not yours").ok());
    EXPECT_EQ(caller.RequireAccountOrAdmin(8, "order 1 is not yours").error().message, "order 1 is not yours");
    EXPECT_EQ(caller.RequireAdmin("the list of accounts").error().message, "the list of accounts is for admins");
}

TEST(RpcCaller, AnAdminMaySeeEveryAccountButStillActsAsThemselves) {
    rpc::Caller caller("gateway", User(1, orderstream::auth::Role::kAdmin));
    EXPECT_TRUE(caller.Admin());
    EXPECT_TRUE(caller.RequireAccountOrAdmin(8, "order 1 is not yours").ok());
    EXPECT_FALSE(caller.Account(8, "accountId").ok());
}

TEST(RpcCaller, WithoutAUserTokenTheRequestNamesTheAccount) {
    rpc::Caller development("", std::nullopt);  // loopback plaintext: a local operator
    EXPECT_EQ(*development.Account(8, "accountId"), 8U);
    EXPECT_TRUE(development.Admin());
    rpc::Caller operator_("operator", std::nullopt);
    EXPECT_TRUE(operator_.Admin());
    rpc::Caller service("payment", std::nullopt);  // a role admitted to a method that acts for no user
    EXPECT_FALSE(service.Admin());
    EXPECT_FALSE(service.RequireAdmin("refunds").ok());
}

}  // namespace
