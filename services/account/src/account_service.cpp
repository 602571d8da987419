#include "account_service.hpp"

#include <spdlog/spdlog.h>

#include "orderstream/core/paging.hpp"
#include "orderstream/core/text.hpp"

namespace orderstream::account {
namespace {

// One message for an unknown email and a wrong password, so logins cannot enumerate accounts.
constexpr const char* kBadCredentials = "invalid email or password";

void Fill(pb::Account* out, const AccountRecord& record) {
    out->set_id(record.id);
    out->set_name(record.name);
    out->set_email(record.email);
}

}  // namespace

AccountService::AccountService(AccountStore& store, const auth::PasswordHasher& hasher, const auth::JwtCodec& jwt,
                               RolePolicy roles)
    : store_(store), hasher_(hasher), jwt_(jwt), roles_(std::move(roles)) {}

grpc::Status AccountService::Register(grpc::ServerContext* context, const pb::RegisterRequest* request,
                                      google::protobuf::StringValue* response) {
    return rpc::Handle(context, register_, [&](const rpc::Caller&) {
        auto valid = ValidateRegistration(request->name(), request->email(), request->password());
        if (!valid.ok()) return rpc::ToGrpc(valid.error());
        auto role = roles_.RoleFor(valid->email);
        auto created = store_.Create(valid->name, valid->email, hasher_.Hash(valid->password), role);
        if (!created.ok()) return rpc::ToGrpc(created.error());
        spdlog::info("registered account {} ({})", created->id, auth::ToString(role));
        response->set_value(jwt_.Issue(created->id, created->role));
        return grpc::Status::OK;
    });
}

grpc::Status AccountService::Login(grpc::ServerContext* context, const pb::LoginRequest* request,
                                   google::protobuf::StringValue* response) {
    return rpc::Handle(context, login_, [&](const rpc::Caller&) {
        auto email = text::Trim(request->email());
        if (email.empty()) return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "email must not be empty");
        if (request->password().empty()) {
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "password must not be empty");
        }
        auto account = email.size() <= kMaxEmailBytes ? store_.FindByEmail(email) : std::nullopt;
        if (!account) {
            hasher_.VerifyAgainstDummy(request->password());  // same cost as a real check
            return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, kBadCredentials);
        }
        if (!hasher_.Verify(account->password_hash, request->password())) {
            return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, kBadCredentials);
        }
        // ADMIN_EMAILS may have changed since registration: the list is the source of truth.
        auto role = roles_.RoleFor(account->email);
        if (role != account->role) {
            store_.UpdateRole(account->id, role);
            spdlog::info("account {} role changed to {}", account->id, auth::ToString(role));
        }
        response->set_value(jwt_.Issue(account->id, role));
        return grpc::Status::OK;
    });
}

grpc::Status AccountService::GetAccount(grpc::ServerContext* context, const google::protobuf::UInt64Value* request,
                                        pb::AccountResponse* response) {
    return rpc::Handle(context, get_account_, [&](const rpc::Caller& caller) {
        if (auto allowed = caller.RequireAccountOrAdmin(request->value(),
                                                    "account " + std::to_string(request->value()) + " is not yours");
            !allowed.ok()) {
            return rpc::ToGrpc(allowed.error());
        }
        auto account = store_.FindById(request->value());
        if (!account) {
            return grpc::Status(grpc::StatusCode::NOT_FOUND, "account " + std::to_string(request->value()) +
                                                                 " not found");
        }
        Fill(response->mutable_account(), *account);
        return grpc::Status::OK;
    });
}

grpc::Status AccountService::GetAccounts(grpc::ServerContext* context, const pb::GetAccountsRequest* request,
                                         pb::GetAccountsResponse* response) {
    return rpc::Handle(context, get_accounts_, [&](const rpc::Caller& caller) {
        if (auto allowed = caller.RequireAdmin("the list of accounts"); !allowed.ok()) return rpc::ToGrpc(allowed.error());
        for (const auto& account : store_.List(request->skip(), paging::Take(request->take()))) {
            Fill(response->add_accounts(), account);
        }
        return grpc::Status::OK;
    });
}

}  // namespace orderstream::account
