#include "values.hpp"

#include "orderstream/graphql/language/printer.hpp"
#include "type/scalars.hpp"
#include "utilities/coerce_input_value.hpp"
#include "utilities/value_from_ast.hpp"

namespace orderstream::graphql::detail {

namespace {
constexpr std::size_t kMaxVariableErrors = 50;

std::string print_path(const std::vector<PathSegment>& path) {
    std::string out;
    for (const auto& segment : path) {
        if (const auto* key = std::get_if<std::string>(&segment)) {
            out += "." + *key;
        } else {
            out += "[" + std::to_string(std::get<std::int64_t>(segment)) + "]";
        }
    }
    return out;
}
}  // namespace

ValueObject coerce_variable_values(const Schema& schema, const ast::Document& document,
                                   const ast::OperationDefinition& operation, const Value& inputs,
                                   std::vector<GraphQLError>& errors) {
    ValueObject coerced;
    const auto report = [&](std::string message, const ast::Loc& loc) {
        if (errors.size() >= kMaxVariableErrors) return;
        errors.push_back(GraphQLError{std::move(message), {document.location_of(loc)}, {}, {}});
        if (errors.size() == kMaxVariableErrors) {
            errors.push_back(GraphQLError{"Too many errors processing variables, error limit reached. Execution aborted.",
                                          {}, {}, {}});
        }
    };
    for (const auto& definition : operation.variable_definitions) {
        const std::string name(definition.variable.value);
        const Type* type = schema.type_from_ast(definition.type);
        if (!type || !type->is_input_type()) {
            report("Variable \"$" + name + "\" expected value of type \"" + print(definition.type) +
                       "\" which cannot be used as an input type.",
                   definition.type.loc);
            continue;
        }
        const Value* input = inputs.find(name);
        if (!input) {
            if (definition.default_value) {
                if (auto value = value_from_ast(*definition.default_value, *type, nullptr)) {
                    coerced.emplace_back(name, std::move(*value));
                }
            } else if (type->is_non_null()) {
                report("Variable \"$" + name + "\" of required type \"" + type->to_string() + "\" was not provided.",
                       definition.loc);
            }
            continue;
        }
        if (input->is_null() && type->is_non_null()) {
            report("Variable \"$" + name + "\" of non-null type \"" + type->to_string() + "\" must not be null.",
                   definition.loc);
            continue;
        }
        Value value = coerce_input_value(*input, *type,
                                         [&](const std::vector<PathSegment>& path, const Value& invalid,
                                             const std::string& message) {
                                             std::string prefix = "Variable \"$" + name + "\" got invalid value " +
                                                                  inspect(invalid);
                                             if (!path.empty()) prefix += " at \"" + name + print_path(path) + "\"";
                                             report(prefix + "; " + message, definition.loc);
                                         });
        coerced.emplace_back(name, std::move(value));
    }
    return coerced;
}

std::optional<ValueObject> coerce_argument_values(const std::vector<InputValue>& definitions,
                                                  const std::vector<ast::Argument>& arguments,
                                                  const ValueObject& variables, const ast::Document& document,
                                                  const ast::Loc& node_loc, GraphQLError& error) {
    ValueObject coerced;
    const auto fail = [&](std::string message, const ast::Loc& loc) {
        error = GraphQLError{std::move(message), {document.location_of(loc)}, {}, {}};
        return std::nullopt;
    };
    for (const auto& definition : definitions) {
        const ast::Argument* argument = nullptr;
        for (const auto& candidate : arguments) {
            if (candidate.name.value == definition.name) {
                argument = &candidate;
                break;
            }
        }
        const Type& type = *definition.type;
        if (!argument) {
            if (definition.default_value) {
                coerced.emplace_back(definition.name, *definition.default_value);
            } else if (type.is_non_null()) {
                return fail("Argument \"" + definition.name + "\" of required type \"" + type.to_string() +
                                "\" was not provided.",
                            node_loc);
            }
            continue;
        }
        const ast::ValueNode& literal = argument->value;
        bool is_null = literal.kind == ast::ValueKind::Null;
        if (literal.kind == ast::ValueKind::Variable) {
            const Value* variable = find_variable(&variables, literal.text);
            if (!variable) {
                if (definition.default_value) {
                    coerced.emplace_back(definition.name, *definition.default_value);
                } else if (type.is_non_null()) {
                    return fail("Argument \"" + definition.name + "\" of required type \"" + type.to_string() +
                                    "\" was provided the variable \"$" + std::string(literal.text) +
                                    "\" which was not provided a runtime value.",
                                literal.loc);
                }
                continue;
            }
            is_null = variable->is_null();
        }
        if (is_null && type.is_non_null()) {
            return fail("Argument \"" + definition.name + "\" of non-null type \"" + type.to_string() +
                            "\" must not be null.",
                        literal.loc);
        }
        auto value = value_from_ast(literal, type, &variables);
        if (!value) return fail("Argument \"" + definition.name + "\" has invalid value " + print(literal) + ".", literal.loc);
        coerced.emplace_back(definition.name, std::move(*value));
    }
    return coerced;
}

bool should_include(const std::vector<ast::Directive>& directives, const ValueObject& variables) {
    for (const auto& directive : directives) {
        const bool is_skip = directive.name.value == "skip";
        if (!is_skip && directive.name.value != "include") continue;
        for (const auto& argument : directive.arguments) {
            if (argument.name.value != "if") continue;
            bool condition = false;
            if (argument.value.kind == ast::ValueKind::Boolean) {
                condition = argument.value.boolean;
            } else if (argument.value.kind == ast::ValueKind::Variable) {
                const Value* value = find_variable(&variables, argument.value.text);
                condition = value && value->is_bool() && value->as_bool();
            }
            if (is_skip && condition) return false;
            if (!is_skip && !condition) return false;
        }
    }
    return true;
}

}  // namespace orderstream::graphql::detail
