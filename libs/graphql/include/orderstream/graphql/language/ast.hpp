#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "orderstream/graphql/language/source.hpp"

// The document AST of spec sections 2 and 3. Names and numbers are views into the Document's
// Source, which the Document keeps alive; decoded strings are owned by their node.
namespace orderstream::graphql::ast {

// Byte range of a node in its source.
struct Loc {
    std::uint32_t start = 0;
    std::uint32_t end = 0;
};

struct Name {
    std::string_view value;  // empty when the optional name is absent
    Loc loc;
    bool empty() const { return value.empty(); }
};

enum class ValueKind : std::uint8_t { Variable, Int, Float, String, Boolean, Null, Enum, List, Object };

struct ObjectField;

struct ValueNode {
    ValueKind kind = ValueKind::Null;
    Loc loc;
    std::string_view text;  // variable name, number literal or enum name
    std::string string;     // decoded String value
    bool block = false;     // String written as a block string
    bool boolean = false;
    std::vector<ValueNode> list;
    std::vector<ObjectField> fields;
};

struct ObjectField {
    Name name;
    ValueNode value;
    Loc loc;
};

struct TypeNode {
    enum class Kind : std::uint8_t { Named, List, NonNull };
    Kind kind = Kind::Named;
    Loc loc;
    Name name;  // Named only
    std::unique_ptr<TypeNode> of_type;  // List and NonNull
};

struct Argument {
    Name name;
    ValueNode value;
    Loc loc;
};

struct Directive {
    Name name;
    std::vector<Argument> arguments;
    Loc loc;
};

enum class SelectionKind : std::uint8_t { Field, FragmentSpread, InlineFragment };

struct Selection;

struct SelectionSet {
    std::vector<Selection> selections;
    Loc loc;
};

// One struct for the three selection kinds keeps traversal simple; unused members stay empty.
struct Selection {
    SelectionKind kind = SelectionKind::Field;
    Loc loc;
    Name alias;           // Field
    Name name;            // Field name or FragmentSpread's fragment name
    std::vector<Argument> arguments;  // Field
    std::vector<Directive> directives;
    Name type_condition;  // InlineFragment, empty when absent
    bool has_selection_set = false;
    SelectionSet selection_set;

    std::string_view response_key() const { return alias.empty() ? name.value : alias.value; }
};

enum class OperationType : std::uint8_t { Query, Mutation, Subscription };

struct VariableDefinition {
    Name variable;  // without the '$'
    Loc loc;
    TypeNode type;
    std::optional<ValueNode> default_value;
    std::vector<Directive> directives;
};

struct OperationDefinition {
    OperationType operation = OperationType::Query;
    Name name;
    std::vector<VariableDefinition> variable_definitions;
    std::vector<Directive> directives;
    SelectionSet selection_set;
    Loc loc;
};

struct FragmentDefinition {
    Name name;
    Name type_condition;
    std::vector<Directive> directives;
    SelectionSet selection_set;
    Loc loc;
};

struct InputValueDefinition {
    std::optional<ValueNode> description;
    Name name;
    TypeNode type;
    std::optional<ValueNode> default_value;
    std::vector<Directive> directives;
    Loc loc;
};

struct FieldDefinition {
    std::optional<ValueNode> description;
    Name name;
    std::vector<InputValueDefinition> arguments;
    TypeNode type;
    std::vector<Directive> directives;
    Loc loc;
};

struct EnumValueDefinition {
    std::optional<ValueNode> description;
    Name name;
    std::vector<Directive> directives;
    Loc loc;
};

struct OperationTypeDefinition {
    OperationType operation = OperationType::Query;
    Name type;
    Loc loc;
};

// Every type-system definition and extension of spec section 3 in one shape; `kind` says which
// members are meaningful.
struct TypeSystemDefinition {
    enum class Kind : std::uint8_t { Schema, Scalar, Object, Interface, Union, Enum, InputObject, Directive };
    Kind kind = Kind::Scalar;
    bool extension = false;
    std::optional<ValueNode> description;
    Name name;
    std::vector<Name> interfaces;
    std::vector<Directive> directives;
    std::vector<FieldDefinition> fields;
    std::vector<InputValueDefinition> input_values;  // input object fields or directive arguments
    std::vector<Name> union_members;
    std::vector<EnumValueDefinition> enum_values;
    std::vector<OperationTypeDefinition> operation_types;
    bool repeatable = false;
    std::vector<Name> locations;  // directive locations
    Loc loc;
};

using Definition = std::variant<OperationDefinition, FragmentDefinition, TypeSystemDefinition>;

struct Document {
    std::shared_ptr<const Source> source;
    std::vector<Definition> definitions;
    Loc loc;

    SourceLocation location_of(const Loc& loc) const { return source->location_of(loc.start); }
};

std::string_view operation_type_name(OperationType type);

// The operation a request names, or the document's only operation when `name` is empty; null when there
// is no such operation or the choice is ambiguous. Lets a transport reject a mutation sent over GET
// before executing anything.
const OperationDefinition* find_operation(const Document& document, std::string_view name);

}  // namespace orderstream::graphql::ast
