#pragma once

#include "account.grpc.pb.h"
#include "account_rules.hpp"
#include "account_store.hpp"
#include "orderstream/auth/jwt.hpp"
#include "orderstream/auth/password.hpp"
#include "orderstream/rpc/call.hpp"

namespace orderstream::account {

// pb.AccountService: registration, login and account lookups. Only the gateway registers and
// signs in; an account is shown to itself, to admins and to the roles serving its owner's
// call (order, payment), never by the id a request names alone (rpc::Caller).
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
    rpc::Method register_{"pb.AccountService/Register", {{"gateway", "operator"}}};
    rpc::Method login_{"pb.AccountService/Login", {{"gateway"}}};
    rpc::Method get_account_{"pb.AccountService/GetAccount", {{"gateway", "order", "payment", "operator"}}};
    rpc::Method get_accounts_{"pb.AccountService/GetAccounts",
                              {{"gateway", "operator"}, rpc::UserCredential::kRequired}};
};

}  // namespace orderstream::account
