#include "orderstream/graphql/type/schema.hpp"

#include <algorithm>
#include <stdexcept>

namespace orderstream::graphql {

const Type* Schema::type(std::string_view name) const {
    const auto found = by_name_.find(name);
    return found == by_name_.end() ? nullptr : found->second;
}

Type* Schema::mutable_type(std::string_view name) {
    const auto found = by_name_.find(name);
    return found == by_name_.end() ? nullptr : found->second;
}

const Directive* Schema::directive(std::string_view name) const {
    for (const auto& directive : directives_) {
        if (directive.name == name) return &directive;
    }
    return nullptr;
}

namespace {
const Type* intern(std::atomic<const Type*>& slot, std::mutex& mutex, std::deque<Type>& storage, TypeKind kind,
                   const Type* of_type) {
    if (const Type* existing = slot.load(std::memory_order_acquire)) return existing;
    std::lock_guard lock(mutex);
    if (const Type* existing = slot.load(std::memory_order_relaxed)) return existing;
    Type& wrapper = storage.emplace_back();
    wrapper.kind = kind;
    wrapper.of_type = of_type;
    slot.store(&wrapper, std::memory_order_release);
    return &wrapper;
}
}  // namespace

const Type* Schema::list_of(const Type* type) const {
    return intern(type->list_wrapper, wrappers_mutex_, wrappers_, TypeKind::List, type);
}

const Type* Schema::non_null(const Type* type) const {
    return intern(type->non_null_wrapper, wrappers_mutex_, wrappers_, TypeKind::NonNull, type);
}

const Type* Schema::type_from_ast(const ast::TypeNode& node) const {
    switch (node.kind) {
        case ast::TypeNode::Kind::Named: return type(node.name.value);
        case ast::TypeNode::Kind::List: {
            const Type* inner = type_from_ast(*node.of_type);
            return inner ? list_of(inner) : nullptr;
        }
        case ast::TypeNode::Kind::NonNull: {
            const Type* inner = type_from_ast(*node.of_type);
            return inner ? non_null(inner) : nullptr;
        }
    }
    return nullptr;
}

bool Schema::is_possible_type(const Type& abstract, const Type& object) const {
    return std::find(abstract.possible_types.begin(), abstract.possible_types.end(), &object) !=
           abstract.possible_types.end();
}

bool Schema::is_sub_type(const Type& abstract, const Type& maybe_sub) const {
    if (abstract.kind == TypeKind::Union) return is_possible_type(abstract, maybe_sub);
    return std::find(maybe_sub.interfaces.begin(), maybe_sub.interfaces.end(), &abstract) != maybe_sub.interfaces.end();
}

void Schema::set_resolver(std::string_view type_name, std::string_view field_name, Resolver resolver) {
    Type* type = mutable_type(type_name);
    if (!type) throw std::invalid_argument("unknown type " + std::string(type_name));
    const auto found = type->field_index.find(field_name);
    if (found == type->field_index.end()) {
        throw std::invalid_argument("unknown field " + std::string(type_name) + "." + std::string(field_name));
    }
    type->fields[found->second].resolver = std::move(resolver);
}

void Schema::set_subscriber(std::string_view field_name, Subscriber subscriber) {
    if (!subscription_) throw std::invalid_argument("the schema has no subscription root type");
    Type* type = mutable_type(subscription_->name);
    const auto found = type->field_index.find(field_name);
    if (found == type->field_index.end()) {
        throw std::invalid_argument("unknown field " + type->name + "." + std::string(field_name));
    }
    type->fields[found->second].subscriber = std::move(subscriber);
}

void Schema::set_type_resolver(std::string_view abstract_type_name, TypeResolver resolver) {
    Type* type = mutable_type(abstract_type_name);
    if (!type || !type->is_abstract()) {
        throw std::invalid_argument("unknown interface or union " + std::string(abstract_type_name));
    }
    type->resolve_type = std::move(resolver);
}

void Schema::set_scalar_coercion(std::string_view scalar_name, ScalarCoercion coercion) {
    Type* type = mutable_type(scalar_name);
    if (!type || type->kind != TypeKind::Scalar || type->builtin != BuiltinScalar::None) {
        throw std::invalid_argument("unknown custom scalar " + std::string(scalar_name));
    }
    type->coercion = std::make_shared<const ScalarCoercion>(std::move(coercion));
}

}  // namespace orderstream::graphql
