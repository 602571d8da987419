#include "coerce_input_value.hpp"

#include "type/scalars.hpp"

namespace orderstream::graphql::detail {

namespace {

Value coerce(const Value& input, const Type& type, const InputErrorSink& on_error, std::vector<PathSegment>& path) {
    if (type.is_non_null()) {
        if (!input.is_null()) return coerce(input, *type.of_type, on_error, path);
        on_error(path, input, "Expected non-nullable type \"" + type.to_string() + "\" not to be null.");
        return Value();
    }
    if (input.is_null()) return Value();
    if (type.is_list()) {
        const Type& item_type = *type.of_type;
        if (!input.is_list()) return Value(ValueList{coerce(input, item_type, on_error, path)});
        ValueList items;
        items.reserve(input.as_list().size());
        for (std::size_t i = 0; i < input.as_list().size(); ++i) {
            path.emplace_back(static_cast<std::int64_t>(i));
            items.push_back(coerce(input.as_list()[i], item_type, on_error, path));
            path.pop_back();
        }
        return Value(std::move(items));
    }
    if (type.kind == TypeKind::InputObject) {
        if (!input.is_object()) {
            on_error(path, input, "Expected type \"" + type.name + "\" to be an object.");
            return Value();
        }
        ValueObject object;
        for (const auto& field : type.input_fields) {
            const Value* field_value = input.find(field.name);
            if (!field_value) {
                if (field.default_value) {
                    object.emplace_back(field.name, *field.default_value);
                } else if (field.type->is_non_null()) {
                    on_error(path, input,
                             "Field \"" + field.name + "\" of required type \"" + field.type->to_string() +
                                 "\" was not provided.");
                }
                continue;
            }
            path.emplace_back(field.name);
            object.emplace_back(field.name, coerce(*field_value, *field.type, on_error, path));
            path.pop_back();
        }
        for (const auto& [name, value] : input.as_object()) {
            if (!type.input_field(name)) {
                on_error(path, input, "Field \"" + name + "\" is not defined by type \"" + type.name + "\".");
            }
        }
        if (type.is_one_of) {
            if (input.as_object().size() != 1) {
                on_error(path, input, "Exactly one key must be specified for OneOf type \"" + type.name + "\".");
            } else if (input.as_object().front().second.is_null()) {
                on_error(path, input, "Field \"" + input.as_object().front().first + "\" must be non-null.");
            }
        }
        return Value(std::move(object));
    }
    Value out;
    std::string message;
    if (!parse_leaf_value(type, input, out, message)) {
        on_error(path, input, message.empty() ? "Expected type \"" + type.name + "\"." : message);
        return Value();
    }
    return out;
}

}  // namespace

Value coerce_input_value(const Value& input, const Type& type, const InputErrorSink& on_error) {
    std::vector<PathSegment> path;
    return coerce(input, type, on_error, path);
}

}  // namespace orderstream::graphql::detail
