#include "value_from_ast.hpp"

#include "type/scalars.hpp"

namespace orderstream::graphql::detail {

const Value* find_variable(const ValueObject* variables, std::string_view name) {
    if (!variables) return nullptr;
    for (const auto& [key, value] : *variables) {
        if (key == name) return &value;
    }
    return nullptr;
}

namespace {
bool is_missing_variable(const ast::ValueNode& literal, const ValueObject* variables) {
    return literal.kind == ast::ValueKind::Variable && !find_variable(variables, literal.text);
}
}  // namespace

std::optional<Value> value_from_ast(const ast::ValueNode& literal, const Type& type, const ValueObject* variables) {
    if (literal.kind == ast::ValueKind::Variable) {
        const Value* value = find_variable(variables, literal.text);
        if (!value) return std::nullopt;
        if (value->is_null() && type.is_non_null()) return std::nullopt;
        // Variables were coerced already; the validator has checked they fit this position.
        return *value;
    }
    if (type.is_non_null()) {
        if (literal.kind == ast::ValueKind::Null) return std::nullopt;
        return value_from_ast(literal, *type.of_type, variables);
    }
    if (literal.kind == ast::ValueKind::Null) return Value();
    if (type.is_list()) {
        const Type& item_type = *type.of_type;
        if (literal.kind != ast::ValueKind::List) {
            auto item = value_from_ast(literal, item_type, variables);
            if (!item) return std::nullopt;
            return Value(ValueList{std::move(*item)});
        }
        ValueList items;
        items.reserve(literal.list.size());
        for (const auto& item_literal : literal.list) {
            if (is_missing_variable(item_literal, variables)) {
                if (item_type.is_non_null()) return std::nullopt;
                items.emplace_back();
                continue;
            }
            auto item = value_from_ast(item_literal, item_type, variables);
            if (!item) return std::nullopt;
            items.push_back(std::move(*item));
        }
        return Value(std::move(items));
    }
    if (type.kind == TypeKind::InputObject) {
        if (literal.kind != ast::ValueKind::Object) return std::nullopt;
        ValueObject object;
        for (const auto& field : type.input_fields) {
            const ast::ObjectField* field_literal = nullptr;
            for (const auto& candidate : literal.fields) {
                if (candidate.name.value == field.name) {
                    field_literal = &candidate;
                    break;
                }
            }
            if (!field_literal || is_missing_variable(field_literal->value, variables)) {
                if (field.default_value) {
                    object.emplace_back(field.name, *field.default_value);
                } else if (field.type->is_non_null()) {
                    return std::nullopt;
                }
                continue;
            }
            auto value = value_from_ast(field_literal->value, *field.type, variables);
            if (!value) return std::nullopt;
            object.emplace_back(field.name, std::move(*value));
        }
        if (type.is_one_of) {
            if (object.size() != 1 || object.front().second.is_null()) return std::nullopt;
        }
        return Value(std::move(object));
    }
    Value out;
    std::string error;
    if (!parse_leaf_literal(type, literal, out, error)) return std::nullopt;
    return out;
}

}  // namespace orderstream::graphql::detail
