#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "orderstream/graphql/language/ast.hpp"
#include "orderstream/graphql/type/schema.hpp"
#include "orderstream/graphql/value.hpp"

namespace orderstream::gateway {

// The exact number of fields an introspection selection resolves (each field 1, __typename 0),
// found by walking the schema the way the executor would: introspection output is bounded by
// the schema, but nesting (types → fields → type → fields ...) multiplies it, so it is counted
// like any other field. Each (selection set, schema element) pair is counted once and
// remembered, so fragments such as GraphiQL's TypeRef cost one walk each. Counting stops as
// soon as a count passes `budget`; the result is then budget + 1.
class IntrospectionCost {
public:
    IntrospectionCost(const graphql::Schema& schema, const graphql::ast::Document& document,
                      const graphql::Value& variables, std::int64_t budget);

    // Below `__schema` and `__type(name:)`, excluding the field itself.
    std::int64_t OfSchema(const graphql::ast::SelectionSet& set);
    std::int64_t OfType(const graphql::ast::Selection& type_field);

private:
    enum class Kind : std::uint8_t { Schema, Type, Field, InputValue, EnumValue, Directive };
    struct Element {
        Kind kind;
        const void* pointer;
    };

    std::int64_t Set(const graphql::ast::SelectionSet& set, Element element);
    std::int64_t FieldCost(const graphql::ast::Selection& field, Element element);
    template <typename Range>
    std::int64_t Each(const graphql::ast::SelectionSet& set, Kind kind, const Range& range);
    std::int64_t Add(std::int64_t a, std::int64_t b);

    const graphql::Schema& schema_;
    const graphql::Value& variables_;
    std::int64_t budget_;
    std::map<std::string_view, const graphql::ast::FragmentDefinition*> fragments_;
    std::map<std::tuple<const graphql::ast::SelectionSet*, Kind, const void*>, std::int64_t> memo_;
};

}  // namespace orderstream::gateway
