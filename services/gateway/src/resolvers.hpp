#pragma once

#include "orderstream/graphql/type/schema.hpp"
#include "request_context.hpp"

namespace orderstream::gateway {

// Wire the schema's fields to the services. Each area installs its own resolvers.
void InstallAccountFields(graphql::Schema& schema);
void InstallProductFields(graphql::Schema& schema);
void InstallOrderFields(graphql::Schema& schema);
void InstallPaymentFields(graphql::Schema& schema);
void InstallSubscriptionFields(graphql::Schema& schema);

// Shared by the resolver files.
RequestContext& ContextOf(const graphql::ResolveInfo& info);
// The signed-in caller, or null with an UNAUTHENTICATED error in `error`.
const auth::Claims* RequireCaller(RequestContext& context, graphql::FieldError& error);
// pagination: {skip, take} as non-negative numbers; BAD_USER_INPUT on negatives.
struct Page {
    std::uint64_t skip = 0;
    std::uint64_t take = 0;
};
std::optional<Page> ReadPagination(const graphql::ResolveInfo& info, graphql::FieldError& error);
// A string member of an input object argument ("" when absent).
std::string StringMember(const graphql::Value& object, std::string_view name);

}  // namespace orderstream::gateway
