// Query.accounts, Query.me, Account.Orders, Mutation.register and Mutation.login.
#include "async_call.hpp"
#include "field_errors.hpp"
#include "resolvers.hpp"
#include "values.hpp"

namespace orderstream::gateway {
namespace {

using graphql::FieldError;
using graphql::ResolveInfo;
using graphql::ResolverResult;
using graphql::Value;

std::string TokenCookie(const std::string& token, std::chrono::seconds lifetime) {
    return "token=" + token + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(lifetime.count());
}

// register and login: the token comes back in the body and as the token cookie, as in the seed.
ResolverResult IssueToken(const ResolveInfo& info, bool registering) {
    auto& context = ContextOf(info);
    const auto* input = info.argument("account");
    auto [result, completer] = ResolverResult::deferred();
    auto finish = [completer, owner = context.shared_from_this()](const grpc::Status& status,
                                                                  google::protobuf::StringValue& token) {
        if (!status.ok()) return completer.fail(FromStatus(status, "issuing a token"));
        owner->AddCookie(TokenCookie(token.value(), owner->jwt.lifetime()));
        completer.resolve(Value(graphql::ValueObject{{"token", Value(token.value())}}));
    };
    auto* stub = context.downstream.accounts.get();
    if (registering) {
        pb::RegisterRequest request;
        request.set_name(StringMember(*input, "name"));
        request.set_email(StringMember(*input, "email"));
        request.set_password(StringMember(*input, "password"));
        CallDownstream<google::protobuf::StringValue>(
            context, std::move(request),
            [stub](auto* c, const auto* r, auto* p, auto cb) { stub->async()->Register(c, r, p, std::move(cb)); },
            std::function<void(const grpc::Status&, google::protobuf::StringValue&)>(finish));
    } else {
        pb::LoginRequest request;
        request.set_email(StringMember(*input, "email"));
        request.set_password(StringMember(*input, "password"));
        CallDownstream<google::protobuf::StringValue>(
            context, std::move(request),
            [stub](auto* c, const auto* r, auto* p, auto cb) { stub->async()->Login(c, r, p, std::move(cb)); },
            std::function<void(const grpc::Status&, google::protobuf::StringValue&)>(finish));
    }
    return std::move(result);
}

// One account by id, as a one-element list or as the value itself.
ResolverResult FetchAccount(RequestContext& context, std::uint64_t id, bool as_list) {
    auto [result, completer] = ResolverResult::deferred();
    google::protobuf::UInt64Value request;
    request.set_value(id);
    auto* stub = context.downstream.accounts.get();
    CallDownstream<pb::AccountResponse>(
        context, std::move(request),
        [stub](auto* c, const auto* r, auto* p, auto cb) { stub->async()->GetAccount(c, r, p, std::move(cb)); },
        [completer, as_list](const grpc::Status& status, pb::AccountResponse& response) {
            if (!status.ok()) return completer.fail(FromStatus(status, "GetAccount"));
            auto account = AccountValue(response.account());
            completer.resolve(as_list ? Value(graphql::ValueList{std::move(account)}) : std::move(account));
        });
    return std::move(result);
}

ResolverResult ResolveAccounts(const ResolveInfo& info) {
    auto& context = ContextOf(info);
    FieldError error;
    const auto* caller = RequireCaller(context, error);
    if (caller == nullptr) return error;
    bool admin = caller->role == auth::Role::kAdmin;
    if (const auto* id = info.argument("id"); id != nullptr && !id->is_null()) {
        // Fixing the seed: any signed-in user could read any account.
        if (!admin && (id->as_int() <= 0 || static_cast<std::uint64_t>(id->as_int()) != caller->account_id)) {
            return FieldErrorWithCode("you may only read your own account", code::kForbidden);
        }
        if (id->as_int() <= 0) return FieldErrorWithCode("account " + std::to_string(id->as_int()) + " not found",
                                                         code::kNotFound);
        return FetchAccount(context, static_cast<std::uint64_t>(id->as_int()), true);
    }
    if (!admin) return FieldErrorWithCode("listing accounts needs the admin role", code::kForbidden);
    auto page = ReadPagination(info, error);
    if (!page) return error;
    pb::GetAccountsRequest request;
    request.set_skip(page->skip);
    request.set_take(page->take);
    auto [result, completer] = ResolverResult::deferred();
    auto* stub = context.downstream.accounts.get();
    CallDownstream<pb::GetAccountsResponse>(
        context, std::move(request),
        [stub](auto* c, const auto* r, auto* p, auto cb) { stub->async()->GetAccounts(c, r, p, std::move(cb)); },
        [completer](const grpc::Status& status, pb::GetAccountsResponse& response) {
            if (!status.ok()) return completer.fail(FromStatus(status, "GetAccounts"));
            graphql::ValueList accounts;
            for (const auto& account : response.accounts()) accounts.push_back(AccountValue(account));
            completer.resolve(Value(std::move(accounts)));
        });
    return std::move(result);
}

ResolverResult ResolveMe(const ResolveInfo& info) {
    auto& context = ContextOf(info);
    FieldError error;
    const auto* caller = RequireCaller(context, error);
    if (caller == nullptr) return error;
    return FetchAccount(context, caller->account_id, false);
}

ResolverResult ResolveAccountOrders(const ResolveInfo& info) {
    auto& context = ContextOf(info);
    FieldError error;
    const auto* caller = RequireCaller(context, error);
    if (caller == nullptr) return error;
    const auto* id = info.parent.find("id");
    if (id == nullptr || !id->is_int()) return FieldErrorWithCode("account has no id", code::kInternal);
    auto account_id = static_cast<std::uint64_t>(id->as_int());
    if (caller->role != auth::Role::kAdmin && account_id != caller->account_id) {
        return FieldErrorWithCode("you may only read your own orders", code::kForbidden);
    }
    auto [result, completer] = ResolverResult::deferred();
    context.orders.Load(account_id, completer);
    return std::move(result);
}

}  // namespace

void InstallAccountFields(graphql::Schema& schema) {
    schema.set_resolver("Mutation", "register", [](const ResolveInfo& info) { return IssueToken(info, true); });
    schema.set_resolver("Mutation", "login", [](const ResolveInfo& info) { return IssueToken(info, false); });
    schema.set_resolver("Query", "accounts", ResolveAccounts);
    schema.set_resolver("Query", "me", ResolveMe);
    schema.set_resolver("Account", "Orders", ResolveAccountOrders);
}

}  // namespace orderstream::gateway
