// ChannelTo spreads calls over every address of a scaled-out role: two real gRPC servers
// behind one target, as a headless Kubernetes Service or a DNS name with two records gives.
#include <atomic>

#include <gtest/gtest.h>

#include "account.grpc.pb.h"
#include "orderstream/rpc/client.hpp"
#include "orderstream/rpc/service_host.hpp"

namespace {

class CountingAccounts final : public pb::AccountService::Service {
public:
    grpc::Status GetAccount(grpc::ServerContext*, const google::protobuf::UInt64Value* request,
                            pb::AccountResponse* response) override {
        calls.fetch_add(1);
        response->mutable_account()->set_id(request->value());
        return grpc::Status::OK;
    }
    std::atomic<int> calls{0};
};

TEST(RpcChannel, CallsAreSpreadOverEveryInstance) {
    CountingAccounts first_service;
    CountingAccounts second_service;
    orderstream::rpc::ServiceHost first({"account", "127.0.0.1:0", "127.0.0.1:0"});
    orderstream::rpc::ServiceHost second({"account", "127.0.0.1:0", "127.0.0.1:0"});
    first.AddService(&first_service, "pb.AccountService");
    second.AddService(&second_service, "pb.AccountService");
    first.Start();
    second.Start();

    auto target = "ipv4:127.0.0.1:" + std::to_string(first.grpc_port()) + ",127.0.0.1:" +
                  std::to_string(second.grpc_port());
    auto stub = pb::AccountService::NewStub(orderstream::rpc::ChannelTo(target, "account"));
    for (int i = 0; i < 40; ++i) {
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
        google::protobuf::UInt64Value request;
        request.set_value(static_cast<std::uint64_t>(i));
        pb::AccountResponse response;
        ASSERT_TRUE(stub->GetAccount(&context, request, &response).ok());
    }
    EXPECT_EQ(first_service.calls + second_service.calls, 40);
    EXPECT_GE(first_service.calls, 10) << "calls were not spread: " << first_service.calls << " / " << second_service.calls;
    EXPECT_GE(second_service.calls, 10) << "calls were not spread: " << first_service.calls << " / "
                                        << second_service.calls;
    first.Shutdown();
    second.Shutdown();
}

}  // namespace
