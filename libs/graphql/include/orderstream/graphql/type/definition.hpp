#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "orderstream/graphql/execution/resolver.hpp"
#include "orderstream/graphql/execution/source_stream.hpp"
#include "orderstream/graphql/language/ast.hpp"
#include "orderstream/graphql/value.hpp"

namespace orderstream::graphql {

enum class TypeKind : std::uint8_t { Scalar, Object, Interface, Union, Enum, InputObject, List, NonNull };

// Coercion hooks of a custom scalar (spec 3.5). Each returns false and sets `error` when the value is invalid.
struct ScalarCoercion {
    std::function<bool(const Value& result, Value& out, std::string& error)> serialize;
    std::function<bool(const Value& input, Value& out, std::string& error)> parse_value;
    std::function<bool(const ast::ValueNode& literal, Value& out, std::string& error)> parse_literal;
};

enum class BuiltinScalar : std::uint8_t { None, Int, Float, String, Boolean, ID };

struct InputValue {
    std::string name;
    std::optional<std::string> description;
    const Type* type = nullptr;
    std::optional<Value> default_value;
    std::optional<std::string> deprecation_reason;
};

struct Field {
    std::string name;
    std::optional<std::string> description;
    std::vector<InputValue> arguments;
    const Type* type = nullptr;
    std::optional<std::string> deprecation_reason;
    Resolver resolver;  // empty: read the same-named member of the parent object
    Subscriber subscriber;  // subscription root fields: creates the source event stream

    const InputValue* argument(std::string_view name) const;
};

struct EnumValue {
    std::string name;
    std::optional<std::string> description;
    std::optional<std::string> deprecation_reason;
};

// A named type or a List/NonNull wrapper. Wrappers are interned per schema, so types compare by address.
struct Type {
    TypeKind kind = TypeKind::Scalar;
    std::string name;  // empty for wrappers
    std::optional<std::string> description;
    std::optional<std::string> specified_by_url;
    const Type* of_type = nullptr;  // List and NonNull

    std::vector<Field> fields;                  // Object, Interface
    std::vector<const Type*> interfaces;        // Object, Interface
    std::vector<const Type*> possible_types;    // Interface (implementing objects), Union (members)
    std::vector<EnumValue> enum_values;         // Enum
    std::vector<InputValue> input_fields;       // InputObject
    bool is_one_of = false;                     // InputObject with @oneOf

    BuiltinScalar builtin = BuiltinScalar::None;
    std::shared_ptr<const ScalarCoercion> coercion;  // custom scalars; null means pass values through
    TypeResolver resolve_type;                       // Interface, Union; empty: use the value's __typename

    const Field* field(std::string_view field_name) const;
    const InputValue* input_field(std::string_view field_name) const;
    const EnumValue* enum_value(std::string_view value_name) const;

    bool is_wrapper() const { return kind == TypeKind::List || kind == TypeKind::NonNull; }
    bool is_non_null() const { return kind == TypeKind::NonNull; }
    bool is_list() const { return kind == TypeKind::List; }
    bool is_leaf() const { return kind == TypeKind::Scalar || kind == TypeKind::Enum; }
    bool is_composite() const { return kind == TypeKind::Object || kind == TypeKind::Interface || kind == TypeKind::Union; }
    bool is_abstract() const { return kind == TypeKind::Interface || kind == TypeKind::Union; }
    const Type& named() const;
    const Type& nullable() const { return is_non_null() ? *of_type : *this; }
    bool is_input_type() const;
    bool is_output_type() const;

    // "[Int!]!" style name.
    std::string to_string() const;

    // Interned wrappers (created on first use; safe to call from several threads).
    mutable std::atomic<const Type*> list_wrapper{nullptr};
    mutable std::atomic<const Type*> non_null_wrapper{nullptr};
    std::unordered_map<std::string_view, std::size_t> field_index;  // filled when the schema is built
};

struct Directive {
    std::string name;
    std::optional<std::string> description;
    std::vector<std::string> locations;
    std::vector<InputValue> arguments;
    bool repeatable = false;

    const InputValue* argument(std::string_view name) const;
};

}  // namespace orderstream::graphql
