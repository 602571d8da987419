#include "orderstream/graphql/type/definition.hpp"

namespace orderstream::graphql {

const Value* ResolveInfo::argument(std::string_view name) const {
    for (const auto& [key, value] : arguments) {
        if (key == name) return &value;
    }
    return nullptr;
}

const InputValue* Field::argument(std::string_view argument_name) const {
    for (const auto& argument : arguments) {
        if (argument.name == argument_name) return &argument;
    }
    return nullptr;
}

const InputValue* Directive::argument(std::string_view argument_name) const {
    for (const auto& argument : arguments) {
        if (argument.name == argument_name) return &argument;
    }
    return nullptr;
}

const Field* Type::field(std::string_view field_name) const {
    const auto found = field_index.find(field_name);
    return found == field_index.end() ? nullptr : &fields[found->second];
}

const InputValue* Type::input_field(std::string_view field_name) const {
    for (const auto& field : input_fields) {
        if (field.name == field_name) return &field;
    }
    return nullptr;
}

const EnumValue* Type::enum_value(std::string_view value_name) const {
    for (const auto& value : enum_values) {
        if (value.name == value_name) return &value;
    }
    return nullptr;
}

const Type& Type::named() const {
    const Type* type = this;
    while (type->of_type) type = type->of_type;
    return *type;
}

bool Type::is_input_type() const {
    const Type& base = named();
    return base.kind == TypeKind::Scalar || base.kind == TypeKind::Enum || base.kind == TypeKind::InputObject;
}

bool Type::is_output_type() const {
    const Type& base = named();
    return base.kind != TypeKind::InputObject;
}

std::string Type::to_string() const {
    switch (kind) {
        case TypeKind::List: return "[" + of_type->to_string() + "]";
        case TypeKind::NonNull: return of_type->to_string() + "!";
        default: return name;
    }
}

}  // namespace orderstream::graphql
