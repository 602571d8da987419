#include "ast_from_value.hpp"

#include "orderstream/graphql/language/printer.hpp"
#include "type/scalars.hpp"

namespace orderstream::graphql::detail {

namespace {
bool is_integer_text(const std::string& text) {
    std::size_t i = text[0] == '-' ? 1 : 0;
    if (i >= text.size()) return false;
    if (text[i] == '0') return i + 1 == text.size();
    for (; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
    }
    return true;
}
}  // namespace

std::optional<std::string> print_value_as_literal(const Value& value, const Type& type) {
    if (type.is_non_null()) {
        auto printed = print_value_as_literal(value, *type.of_type);
        if (printed && *printed == "null") return std::nullopt;
        return printed;
    }
    if (value.is_null()) return "null";
    if (type.is_list()) {
        if (!value.is_list()) return print_value_as_literal(value, *type.of_type);
        std::string out = "[";
        bool first = true;
        for (const auto& item : value.as_list()) {
            auto printed = print_value_as_literal(item, *type.of_type);
            if (!printed) continue;
            if (!first) out += ", ";
            first = false;
            out += *printed;
        }
        return out + "]";
    }
    if (type.kind == TypeKind::InputObject) {
        if (!value.is_object()) return std::nullopt;
        std::string out = "{";
        bool first = true;
        for (const auto& field : type.input_fields) {
            const Value* member = value.find(field.name);
            if (!member) continue;
            auto printed = print_value_as_literal(*member, *field.type);
            if (!printed) continue;
            if (!first) out += ", ";
            first = false;
            out += field.name + ": " + *printed;
        }
        return out + "}";
    }
    Value serialized;
    std::string error;
    if (!serialize_leaf(type, value, serialized, error) || serialized.is_null()) return std::nullopt;
    if (serialized.is_bool()) return serialized.as_bool() ? "true" : "false";
    if (serialized.is_number()) {
        return serialized.is_int() ? std::to_string(serialized.as_int()) : format_number(serialized.as_float());
    }
    if (serialized.is_string()) {
        if (type.kind == TypeKind::Enum) return serialized.as_string();
        if (type.builtin == BuiltinScalar::ID && is_integer_text(serialized.as_string())) return serialized.as_string();
        return print_string(serialized.as_string());
    }
    return std::nullopt;
}

}  // namespace orderstream::graphql::detail
