#pragma once

#include "orderstream/graphql/type/schema.hpp"

namespace orderstream::graphql::detail {

// Registers the resolvers of __Schema, __Type, __Field, __InputValue, __EnumValue and __Directive.
void install_introspection(Schema& schema);

// Host-object tags of the schema elements handed between introspection resolvers.
enum IntrospectionTag : std::uint32_t { kSchemaTag = 0x5C0001, kTypeTag, kFieldTag, kInputValueTag, kEnumValueTag, kDirectiveTag };

// Wraps a schema element without owning it (the schema outlives every execution over it).
template <typename T>
Value introspection_object(const T* element, IntrospectionTag tag) {
    if (!element) return Value();
    return Value(HostObject{std::shared_ptr<const void>(std::shared_ptr<const void>(), element), tag});
}

}  // namespace orderstream::graphql::detail
