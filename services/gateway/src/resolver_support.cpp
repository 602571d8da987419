#include "field_errors.hpp"
#include "resolvers.hpp"

namespace orderstream::gateway {

RequestContext& ContextOf(const graphql::ResolveInfo& info) { return *static_cast<RequestContext*>(info.context); }

const auth::Claims* RequireCaller(RequestContext& context, graphql::FieldError& error) {
    if (context.caller) return &*context.caller;
    error = FieldErrorWithCode(context.auth_failure.empty() ? "sign in first: send Authorization: Bearer <token>"
                                                            : context.auth_failure,
                               code::kUnauthenticated);
    return nullptr;
}

std::optional<Page> ReadPagination(const graphql::ResolveInfo& info, graphql::FieldError& error) {
    Page page;
    const auto* pagination = info.argument("pagination");
    if (pagination == nullptr || pagination->is_null()) return page;
    const auto* skip = pagination->find("skip");
    const auto* take = pagination->find("take");
    if (skip != nullptr && skip->is_int()) {
        if (skip->as_int() < 0) {
            error = FieldErrorWithCode("pagination.skip must not be negative", code::kBadUserInput);
            return std::nullopt;
        }
        page.skip = static_cast<std::uint64_t>(skip->as_int());
    }
    if (take != nullptr && take->is_int()) {
        if (take->as_int() < 0) {
            error = FieldErrorWithCode("pagination.take must not be negative", code::kBadUserInput);
            return std::nullopt;
        }
        page.take = static_cast<std::uint64_t>(take->as_int());
    }
    return page;
}

std::string StringMember(const graphql::Value& object, std::string_view name) {
    const auto* member = object.find(name);
    return member != nullptr && member->is_string() ? member->as_string() : std::string();
}

}  // namespace orderstream::gateway
