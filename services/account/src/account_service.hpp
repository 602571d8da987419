#pragma once

#include "account.grpc.pb.h"
#include "account_rules.hpp"
#include "account_store.hpp"
#include "orderstream/auth/jwt.hpp"
#include "orderstream/auth/password.hpp"
#include "orderstream/rpc/call.hpp"

namespace orderstream::account {

// pb.AccountService: registration, login and account lookups. Authorization (who may see
// which account) is the gateway's job; this service trusts its callers on the internal network.
class AccountService final : public pb::AccountService::Service {
public:
    AccountService(AccountStore& store, const auth::PasswordHasher& hasher, const auth::JwtCodec& jwt,
                   RolePolicy roles);

    grpc::Status Register(grpc::ServerContext* context, const pb::RegisterRequest* request,
                          google::protobuf::StringValue* response) override;
    grpc::Status Login(grpc::ServerContext* context, const pb::LoginRequest* request,
                       google::protobuf::StringValue* response) override;
    grpc::Status GetAccount(grpc::ServerContext* context, const google::protobuf::UInt64Value* request,
                            pb::AccountResponse* response) override;
    grpc::Status GetAccounts(grpc::ServerContext* context, const pb::GetAccountsRequest* request,
                             pb::GetAccountsResponse* response) override;

private:
    AccountStore& store_;
    const auth::PasswordHasher& hasher_;
    const auth::JwtCodec& jwt_;
    RolePolicy roles_;
    rpc::MethodMetrics register_metrics_{"pb.AccountService/Register"};
    rpc::MethodMetrics login_metrics_{"pb.AccountService/Login"};
    rpc::MethodMetrics get_account_metrics_{"pb.AccountService/GetAccount"};
    rpc::MethodMetrics get_accounts_metrics_{"pb.AccountService/GetAccounts"};
};

}  // namespace orderstream::account
