#include "scalars.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "orderstream/graphql/language/printer.hpp"

namespace orderstream::graphql::detail {

namespace {

constexpr double kMinInt = -2147483648.0;
constexpr double kMaxInt = 2147483647.0;

bool is_integral(double d) { return std::isfinite(d) && std::floor(d) == d; }

// JavaScript's Number(string) for the decimal forms a client can plausibly send.
std::optional<double> number_from_string(const std::string& text) {
    std::size_t begin = text.find_first_not_of(" \t\n\r");
    if (begin == std::string::npos) return 0.0;
    std::size_t end = text.find_last_not_of(" \t\n\r") + 1;
    const std::string trimmed = text.substr(begin, end - begin);
    char* parse_end = nullptr;
    const double value = std::strtod(trimmed.c_str(), &parse_end);
    if (parse_end != trimmed.c_str() + trimmed.size()) return std::nullopt;
    if (trimmed.find_first_of("xXnN") != std::string::npos) return std::nullopt;  // hex, nan, inf spellings
    return value;
}

bool serialize_int(const Value& value, Value& out, std::string& error) {
    double number = 0;
    if (value.is_bool()) {
        out = Value(static_cast<std::int64_t>(value.as_bool() ? 1 : 0));
        return true;
    }
    if (value.is_int()) {
        if (value.as_int() < kMinInt || value.as_int() > kMaxInt) {
            error = "Int cannot represent non 32-bit signed integer value: " + inspect(value);
            return false;
        }
        out = value;
        return true;
    }
    if (value.is_float()) {
        number = value.as_float();
    } else if (value.is_string() && !value.as_string().empty()) {
        auto parsed = number_from_string(value.as_string());
        if (!parsed) {
            error = "Int cannot represent non-integer value: " + inspect(value);
            return false;
        }
        number = *parsed;
    } else {
        error = "Int cannot represent non-integer value: " + inspect(value);
        return false;
    }
    if (!is_integral(number)) {
        error = "Int cannot represent non-integer value: " + inspect(value);
        return false;
    }
    if (number < kMinInt || number > kMaxInt) {
        error = "Int cannot represent non 32-bit signed integer value: " + inspect(value);
        return false;
    }
    out = Value(static_cast<std::int64_t>(number));
    return true;
}

bool serialize_float(const Value& value, Value& out, std::string& error) {
    double number = 0;
    if (value.is_bool()) {
        number = value.as_bool() ? 1 : 0;
    } else if (value.is_number()) {
        number = value.as_number();
    } else if (value.is_string() && !value.as_string().empty()) {
        auto parsed = number_from_string(value.as_string());
        if (!parsed) {
            error = "Float cannot represent non numeric value: " + inspect(value);
            return false;
        }
        number = *parsed;
    } else {
        error = "Float cannot represent non numeric value: " + inspect(value);
        return false;
    }
    if (!std::isfinite(number)) {
        error = "Float cannot represent non numeric value: " + inspect(value);
        return false;
    }
    out = Value(number);
    return true;
}

bool serialize_string(const Value& value, Value& out, std::string& error) {
    if (value.is_string()) {
        out = value;
        return true;
    }
    if (value.is_bool()) {
        out = Value(value.as_bool() ? "true" : "false");
        return true;
    }
    if (value.is_number() && std::isfinite(value.as_number())) {
        out = Value(value.is_int() ? std::to_string(value.as_int()) : format_number(value.as_float()));
        return true;
    }
    error = "String cannot represent value: " + inspect(value);
    return false;
}

bool serialize_boolean(const Value& value, Value& out, std::string& error) {
    if (value.is_bool()) {
        out = value;
        return true;
    }
    if (value.is_number() && std::isfinite(value.as_number())) {
        out = Value(value.as_number() != 0);
        return true;
    }
    error = "Boolean cannot represent a non boolean value: " + inspect(value);
    return false;
}

bool serialize_id(const Value& value, Value& out, std::string& error) {
    if (value.is_string()) {
        out = value;
        return true;
    }
    if (value.is_int()) {
        out = Value(std::to_string(value.as_int()));
        return true;
    }
    if (value.is_float() && is_integral(value.as_float())) {
        out = Value(format_number(value.as_float()));
        return true;
    }
    error = "ID cannot represent value: " + inspect(value);
    return false;
}

bool parse_int_value(const Value& value, Value& out, std::string& error) {
    if (!value.is_number() || !is_integral(value.as_number())) {
        error = "Int cannot represent non-integer value: " + inspect(value);
        return false;
    }
    const double number = value.as_number();
    if (number < kMinInt || number > kMaxInt) {
        error = "Int cannot represent non 32-bit signed integer value: " + inspect(value);
        return false;
    }
    out = Value(static_cast<std::int64_t>(number));
    return true;
}

}  // namespace

std::string inspect(const Value& value) {
    switch (value.kind()) {
        case Value::Kind::String: return print_string(value.as_string());
        case Value::Kind::List: {
            std::string out = "[";
            for (std::size_t i = 0; i < value.as_list().size(); ++i) {
                if (i) out += ", ";
                out += inspect(value.as_list()[i]);
            }
            return out + "]";
        }
        case Value::Kind::Object: {
            if (value.as_object().empty()) return "{}";
            std::string out = "{ ";
            bool first = true;
            for (const auto& [key, member] : value.as_object()) {
                if (!first) out += ", ";
                first = false;
                out += key + ": " + inspect(member);
            }
            return out + " }";
        }
        case Value::Kind::Host: return "[object]";
        default: return to_json(value);
    }
}

bool serialize_leaf(const Type& type, const Value& result, Value& out, std::string& error) {
    if (type.kind == TypeKind::Enum) {
        if (result.is_string() && type.enum_value(result.as_string())) {
            out = result;
            return true;
        }
        error = "Enum \"" + type.name + "\" cannot represent value: " + inspect(result);
        return false;
    }
    switch (type.builtin) {
        case BuiltinScalar::Int: return serialize_int(result, out, error);
        case BuiltinScalar::Float: return serialize_float(result, out, error);
        case BuiltinScalar::String: return serialize_string(result, out, error);
        case BuiltinScalar::Boolean: return serialize_boolean(result, out, error);
        case BuiltinScalar::ID: return serialize_id(result, out, error);
        case BuiltinScalar::None: break;
    }
    if (type.coercion && type.coercion->serialize) return type.coercion->serialize(result, out, error);
    out = result;
    return true;
}

bool parse_leaf_value(const Type& type, const Value& input, Value& out, std::string& error) {
    if (type.kind == TypeKind::Enum) {
        if (!input.is_string()) {
            error = "Enum \"" + type.name + "\" cannot represent non-string value: " + inspect(input) + ".";
            return false;
        }
        if (!type.enum_value(input.as_string())) {
            error = "Value " + inspect(input) + " does not exist in \"" + type.name + "\" enum.";
            return false;
        }
        out = input;
        return true;
    }
    switch (type.builtin) {
        case BuiltinScalar::Int: return parse_int_value(input, out, error);
        case BuiltinScalar::Float:
            if (!input.is_number() || !std::isfinite(input.as_number())) {
                error = "Float cannot represent non numeric value: " + inspect(input);
                return false;
            }
            out = Value(input.as_number());
            return true;
        case BuiltinScalar::String:
            if (!input.is_string()) {
                error = "String cannot represent a non string value: " + inspect(input);
                return false;
            }
            out = input;
            return true;
        case BuiltinScalar::Boolean:
            if (!input.is_bool()) {
                error = "Boolean cannot represent a non boolean value: " + inspect(input);
                return false;
            }
            out = input;
            return true;
        case BuiltinScalar::ID:
            if (input.is_string()) {
                out = input;
                return true;
            }
            if (input.is_number() && is_integral(input.as_number())) {
                out = Value(input.is_int() ? std::to_string(input.as_int()) : format_number(input.as_float()));
                return true;
            }
            error = "ID cannot represent value: " + inspect(input);
            return false;
        case BuiltinScalar::None: break;
    }
    if (type.coercion && type.coercion->parse_value) return type.coercion->parse_value(input, out, error);
    out = input;
    return true;
}

namespace {
// The reference's valueFromASTUntyped, for custom scalars without a literal parser.
Value untyped_literal(const ast::ValueNode& literal) {
    switch (literal.kind) {
        case ast::ValueKind::Int: {
            std::int64_t integer = 0;
            auto [end, ec] = std::from_chars(literal.text.data(), literal.text.data() + literal.text.size(), integer);
            if (ec == std::errc() && end == literal.text.data() + literal.text.size()) return Value(integer);
            return Value(std::strtod(std::string(literal.text).c_str(), nullptr));
        }
        case ast::ValueKind::Float: return Value(std::strtod(std::string(literal.text).c_str(), nullptr));
        case ast::ValueKind::String: return Value(literal.string);
        case ast::ValueKind::Boolean: return Value(literal.boolean);
        case ast::ValueKind::Enum: return Value(literal.text);
        case ast::ValueKind::List: {
            ValueList list;
            for (const auto& item : literal.list) list.push_back(untyped_literal(item));
            return Value(std::move(list));
        }
        case ast::ValueKind::Object: {
            Value object{ValueObject{}};
            for (const auto& field : literal.fields) object.set(std::string(field.name.value), untyped_literal(field.value));
            return object;
        }
        default: return Value();
    }
}
}  // namespace

bool parse_leaf_literal(const Type& type, const ast::ValueNode& literal, Value& out, std::string& error) {
    using Kind = ast::ValueKind;
    if (type.kind == TypeKind::Enum) {
        if (literal.kind != Kind::Enum) {
            error = "Enum \"" + type.name + "\" cannot represent non-enum value: " + print(literal) + ".";
            return false;
        }
        if (!type.enum_value(literal.text)) {
            error = "Value \"" + std::string(literal.text) + "\" does not exist in \"" + type.name + "\" enum.";
            return false;
        }
        out = Value(literal.text);
        return true;
    }
    switch (type.builtin) {
        case BuiltinScalar::Int: {
            if (literal.kind != Kind::Int) {
                error = "Int cannot represent non-integer value: " + print(literal);
                return false;
            }
            std::int64_t integer = 0;
            auto [end, ec] = std::from_chars(literal.text.data(), literal.text.data() + literal.text.size(), integer);
            if (ec != std::errc() || integer < kMinInt || integer > kMaxInt) {
                error = "Int cannot represent non 32-bit signed integer value: " + std::string(literal.text);
                return false;
            }
            out = Value(integer);
            return true;
        }
        case BuiltinScalar::Float:
            if (literal.kind != Kind::Int && literal.kind != Kind::Float) {
                error = "Float cannot represent non numeric value: " + print(literal);
                return false;
            }
            out = Value(std::strtod(std::string(literal.text).c_str(), nullptr));
            return true;
        case BuiltinScalar::String:
            if (literal.kind != Kind::String) {
                error = "String cannot represent a non string value: " + print(literal);
                return false;
            }
            out = Value(literal.string);
            return true;
        case BuiltinScalar::Boolean:
            if (literal.kind != Kind::Boolean) {
                error = "Boolean cannot represent a non boolean value: " + print(literal);
                return false;
            }
            out = Value(literal.boolean);
            return true;
        case BuiltinScalar::ID:
            if (literal.kind == Kind::String) {
                out = Value(literal.string);
                return true;
            }
            if (literal.kind == Kind::Int) {
                out = Value(literal.text);
                return true;
            }
            error = "ID cannot represent a non-string and non-integer value: " + print(literal);
            return false;
        case BuiltinScalar::None: break;
    }
    if (type.coercion && type.coercion->parse_literal) return type.coercion->parse_literal(literal, out, error);
    out = untyped_literal(literal);
    return true;
}

}  // namespace orderstream::graphql::detail
