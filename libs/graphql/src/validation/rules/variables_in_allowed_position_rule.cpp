#include <map>

#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.8.5: a variable's type fits every position it is used in.
class VariablesInAllowedPositionRule : public ValidationRule {
public:
    explicit VariablesInAllowedPositionRule(ValidationContext& context) : context_(context) {}

    void leave_operation(const ast::OperationDefinition& operation) override {
        std::map<std::string_view, const ast::VariableDefinition*> definitions;
        for (const auto& definition : operation.variable_definitions) definitions[definition.variable.value] = &definition;
        const Schema& schema = context_.schema();
        for (const auto& usage : context_.recursive_variable_usages(operation)) {
            const auto found = definitions.find(usage.node->text);
            if (found == definitions.end() || !usage.type) continue;
            const ast::VariableDefinition& definition = *found->second;
            const Type* variable_type = schema.type_from_ast(definition.type);
            const std::string name(usage.node->text);
            if (variable_type && !allowed(*variable_type, definition, *usage.type, usage.location_has_default)) {
                context_.report("Variable \"$" + name + "\" of type \"" + variable_type->to_string() +
                                    "\" used in position expecting type \"" + usage.type->to_string() + "\".",
                                {definition.loc, usage.node->loc});
            }
            if (variable_type && usage.parent_type && usage.parent_type->kind == TypeKind::InputObject &&
                usage.parent_type->is_one_of && !variable_type->is_non_null()) {
                context_.report("Variable \"$" + name + "\" is of type \"" + variable_type->to_string() +
                                    "\" but must be non-nullable to be used for OneOf Input Object \"" +
                                    usage.parent_type->name + "\".",
                                {definition.loc, usage.node->loc});
            }
        }
    }

private:
    bool allowed(const Type& variable_type, const ast::VariableDefinition& definition, const Type& location_type,
                 bool location_has_default) const {
        if (location_type.is_non_null() && !variable_type.is_non_null()) {
            const bool has_non_null_default =
                definition.default_value && definition.default_value->kind != ast::ValueKind::Null;
            if (!has_non_null_default && !location_has_default) return false;
            return is_type_sub_type_of(context_.schema(), variable_type, *location_type.of_type);
        }
        return is_type_sub_type_of(context_.schema(), variable_type, location_type);
    }

    ValidationContext& context_;
};

}  // namespace

RulePtr make_variables_in_allowed_position_rule(ValidationContext& context) {
    return std::make_unique<VariablesInAllowedPositionRule>(context);
}

}  // namespace orderstream::graphql::detail
