#include "orderstream/graphql/language/printer.hpp"
#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.8.2: variables are of input types (scalars, enums, input objects).
class VariablesAreInputTypesRule : public ValidationRule {
public:
    explicit VariablesAreInputTypesRule(ValidationContext& context) : context_(context) {}
    void enter_variable_definition(const ast::VariableDefinition& definition) override {
        const Type* type = context_.schema().type_from_ast(definition.type);
        if (type && !type->is_input_type()) {
            context_.report("Variable \"$" + std::string(definition.variable.value) + "\" cannot be non-input type \"" +
                                print(definition.type) + "\".",
                            {definition.type.loc});
        }
    }

private:
    ValidationContext& context_;
};

}  // namespace

RulePtr make_variables_are_input_types_rule(ValidationContext& context) {
    return std::make_unique<VariablesAreInputTypesRule>(context);
}

}  // namespace orderstream::graphql::detail
