#include "introspection.hpp"

#include "utilities/ast_from_value.hpp"

namespace orderstream::graphql::detail {

namespace {

template <typename T>
const T& element(const ResolveInfo& info) {
    return *static_cast<const T*>(info.parent.as_host().object.get());
}

Value optional_string(const std::optional<std::string>& text) { return text ? Value(*text) : Value(); }

bool include_deprecated(const ResolveInfo& info) {
    const Value* flag = info.argument("includeDeprecated");
    return flag && flag->is_bool() && flag->as_bool();
}

Value input_values(const std::vector<InputValue>& values, bool with_deprecated) {
    ValueList list;
    for (const auto& value : values) {
        if (with_deprecated || !value.deprecation_reason) list.push_back(introspection_object(&value, kInputValueTag));
    }
    return Value(std::move(list));
}

std::string_view kind_name(TypeKind kind) {
    switch (kind) {
        case TypeKind::Scalar: return "SCALAR";
        case TypeKind::Object: return "OBJECT";
        case TypeKind::Interface: return "INTERFACE";
        case TypeKind::Union: return "UNION";
        case TypeKind::Enum: return "ENUM";
        case TypeKind::InputObject: return "INPUT_OBJECT";
        case TypeKind::List: return "LIST";
        case TypeKind::NonNull: return "NON_NULL";
    }
    return "SCALAR";
}

template <typename T, typename Read>
void field(Schema& schema, std::string_view type_name, std::string_view field_name, Read read) {
    schema.set_resolver(type_name, field_name,
                        [read](const ResolveInfo& info) -> ResolverResult { return read(element<T>(info), info); });
}

void install_schema(Schema& schema) {
    field<Schema>(schema, "__Schema", "description", [](const Schema& s, auto&) { return optional_string(s.description()); });
    field<Schema>(schema, "__Schema", "types", [](const Schema& s, auto&) {
        ValueList list;
        for (const Type* type : s.types()) list.push_back(introspection_object(type, kTypeTag));
        return Value(std::move(list));
    });
    field<Schema>(schema, "__Schema", "queryType", [](const Schema& s, auto&) { return introspection_object(s.query_type(), kTypeTag); });
    field<Schema>(schema, "__Schema", "mutationType", [](const Schema& s, auto&) { return introspection_object(s.mutation_type(), kTypeTag); });
    field<Schema>(schema, "__Schema", "subscriptionType", [](const Schema& s, auto&) { return introspection_object(s.subscription_type(), kTypeTag); });
    field<Schema>(schema, "__Schema", "directives", [](const Schema& s, auto&) {
        ValueList list;
        for (const auto& directive : s.directives()) list.push_back(introspection_object(&directive, kDirectiveTag));
        return Value(std::move(list));
    });

    field<Type>(schema, "__Type", "kind", [](const Type& t, auto&) { return Value(kind_name(t.kind)); });
    field<Type>(schema, "__Type", "name", [](const Type& t, auto&) { return t.is_wrapper() ? Value() : Value(t.name); });
    field<Type>(schema, "__Type", "description", [](const Type& t, auto&) { return optional_string(t.description); });
    field<Type>(schema, "__Type", "specifiedByURL", [](const Type& t, auto&) { return optional_string(t.specified_by_url); });
    field<Type>(schema, "__Type", "fields", [](const Type& t, const ResolveInfo& info) {
        if (t.kind != TypeKind::Object && t.kind != TypeKind::Interface) return Value();
        const bool with_deprecated = include_deprecated(info);
        ValueList list;
        for (const auto& f : t.fields) {
            if (with_deprecated || !f.deprecation_reason) list.push_back(introspection_object(&f, kFieldTag));
        }
        return Value(std::move(list));
    });
    field<Type>(schema, "__Type", "interfaces", [](const Type& t, auto&) {
        if (t.kind != TypeKind::Object && t.kind != TypeKind::Interface) return Value();
        ValueList list;
        for (const Type* interface : t.interfaces) list.push_back(introspection_object(interface, kTypeTag));
        return Value(std::move(list));
    });
    field<Type>(schema, "__Type", "possibleTypes", [](const Type& t, auto&) {
        if (!t.is_abstract()) return Value();
        ValueList list;
        for (const Type* member : t.possible_types) list.push_back(introspection_object(member, kTypeTag));
        return Value(std::move(list));
    });
    field<Type>(schema, "__Type", "enumValues", [](const Type& t, const ResolveInfo& info) {
        if (t.kind != TypeKind::Enum) return Value();
        const bool with_deprecated = include_deprecated(info);
        ValueList list;
        for (const auto& value : t.enum_values) {
            if (with_deprecated || !value.deprecation_reason) list.push_back(introspection_object(&value, kEnumValueTag));
        }
        return Value(std::move(list));
    });
    field<Type>(schema, "__Type", "inputFields", [](const Type& t, const ResolveInfo& info) {
        if (t.kind != TypeKind::InputObject) return Value();
        return input_values(t.input_fields, include_deprecated(info));
    });
    field<Type>(schema, "__Type", "ofType", [](const Type& t, auto&) { return introspection_object(t.of_type, kTypeTag); });
    field<Type>(schema, "__Type", "isOneOf", [](const Type& t, auto&) {
        return t.kind == TypeKind::InputObject ? Value(t.is_one_of) : Value();
    });

    field<Field>(schema, "__Field", "name", [](const Field& f, auto&) { return Value(f.name); });
    field<Field>(schema, "__Field", "description", [](const Field& f, auto&) { return optional_string(f.description); });
    field<Field>(schema, "__Field", "args", [](const Field& f, const ResolveInfo& info) {
        return input_values(f.arguments, include_deprecated(info));
    });
    field<Field>(schema, "__Field", "type", [](const Field& f, auto&) { return introspection_object(f.type, kTypeTag); });
    field<Field>(schema, "__Field", "isDeprecated", [](const Field& f, auto&) { return Value(f.deprecation_reason.has_value()); });
    field<Field>(schema, "__Field", "deprecationReason", [](const Field& f, auto&) { return optional_string(f.deprecation_reason); });

    field<InputValue>(schema, "__InputValue", "name", [](const InputValue& v, auto&) { return Value(v.name); });
    field<InputValue>(schema, "__InputValue", "description", [](const InputValue& v, auto&) { return optional_string(v.description); });
    field<InputValue>(schema, "__InputValue", "type", [](const InputValue& v, auto&) { return introspection_object(v.type, kTypeTag); });
    field<InputValue>(schema, "__InputValue", "defaultValue", [](const InputValue& v, auto&) {
        if (!v.default_value) return Value();
        return optional_string(print_value_as_literal(*v.default_value, *v.type));
    });
    field<InputValue>(schema, "__InputValue", "isDeprecated", [](const InputValue& v, auto&) { return Value(v.deprecation_reason.has_value()); });
    field<InputValue>(schema, "__InputValue", "deprecationReason", [](const InputValue& v, auto&) { return optional_string(v.deprecation_reason); });

    field<EnumValue>(schema, "__EnumValue", "name", [](const EnumValue& v, auto&) { return Value(v.name); });
    field<EnumValue>(schema, "__EnumValue", "description", [](const EnumValue& v, auto&) { return optional_string(v.description); });
    field<EnumValue>(schema, "__EnumValue", "isDeprecated", [](const EnumValue& v, auto&) { return Value(v.deprecation_reason.has_value()); });
    field<EnumValue>(schema, "__EnumValue", "deprecationReason", [](const EnumValue& v, auto&) { return optional_string(v.deprecation_reason); });

    field<Directive>(schema, "__Directive", "name", [](const Directive& d, auto&) { return Value(d.name); });
    field<Directive>(schema, "__Directive", "description", [](const Directive& d, auto&) { return optional_string(d.description); });
    field<Directive>(schema, "__Directive", "isRepeatable", [](const Directive& d, auto&) { return Value(d.repeatable); });
    field<Directive>(schema, "__Directive", "locations", [](const Directive& d, auto&) {
        ValueList list;
        for (const auto& location : d.locations) list.emplace_back(location);
        return Value(std::move(list));
    });
    field<Directive>(schema, "__Directive", "args", [](const Directive& d, const ResolveInfo& info) {
        return input_values(d.arguments, include_deprecated(info));
    });
}

}  // namespace

void install_introspection(Schema& schema) { install_schema(schema); }

}  // namespace orderstream::graphql::detail
