#pragma once

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orderstream/graphql/error/graphql_error.hpp"
#include "orderstream/graphql/type/definition.hpp"

namespace orderstream::graphql {

class Schema;

struct SchemaResult {
    std::shared_ptr<Schema> schema;  // null when the SDL is invalid
    std::vector<GraphQLError> errors;
};

// A schema built from SDL (spec section 3), with the built-in scalars, directives and introspection
// types. Resolvers and scalar/type hooks are registered after building and before serving; once serving,
// a Schema is read-only and shared by all requests.
class Schema {
public:
    static SchemaResult from_sdl(std::string_view sdl);

    const Type* type(std::string_view name) const;
    // Every named type in the reference implementation's order (what __schema.types lists).
    const std::vector<const Type*>& types() const { return type_order_; }
    const Type* query_type() const { return query_; }
    const Type* mutation_type() const { return mutation_; }
    const Type* subscription_type() const { return subscription_; }
    const std::optional<std::string>& description() const { return description_; }
    const std::vector<Directive>& directives() const { return directives_; }
    const Directive* directive(std::string_view name) const;

    const Type* list_of(const Type* type) const;
    const Type* non_null(const Type* type) const;
    // Resolves a type reference from a document; null when its named type is unknown.
    const Type* type_from_ast(const ast::TypeNode& node) const;

    // Object `object` is a member of union/implements interface `abstract`.
    bool is_possible_type(const Type& abstract, const Type& object) const;
    // `maybe_sub` is `abstract` itself's member: object or interface implementing it, or union member.
    bool is_sub_type(const Type& abstract, const Type& maybe_sub) const;

    // Registration. Each throws std::invalid_argument for an unknown name (a programming error).
    void set_resolver(std::string_view type_name, std::string_view field_name, Resolver resolver);
    // The source event stream of a field of the subscription root type.
    void set_subscriber(std::string_view field_name, Subscriber subscriber);
    void set_type_resolver(std::string_view abstract_type_name, TypeResolver resolver);
    void set_scalar_coercion(std::string_view scalar_name, ScalarCoercion coercion);

    // The meta fields every query can select (spec 4.2): __schema and __type on the query root,
    // __typename everywhere.
    const Field& schema_meta_field() const { return schema_meta_field_; }
    const Field& type_meta_field() const { return type_meta_field_; }
    const Field& typename_meta_field() const { return typename_meta_field_; }

private:
    friend class SchemaBuilder;
    Type* mutable_type(std::string_view name);

    std::deque<Type> named_types_;
    std::map<std::string, Type*, std::less<>> by_name_;
    std::vector<const Type*> type_order_;
    const Type* query_ = nullptr;
    const Type* mutation_ = nullptr;
    const Type* subscription_ = nullptr;
    std::optional<std::string> description_;
    std::vector<Directive> directives_;
    Field schema_meta_field_;
    Field type_meta_field_;
    Field typename_meta_field_;
    mutable std::mutex wrappers_mutex_;
    mutable std::deque<Type> wrappers_;
};

// RFC 3339 date-time strings, as the seed's `Time` scalar uses; installed for a scalar named `Time`.
ScalarCoercion rfc3339_time_coercion();
bool is_rfc3339_date_time(std::string_view text);

}  // namespace orderstream::graphql
