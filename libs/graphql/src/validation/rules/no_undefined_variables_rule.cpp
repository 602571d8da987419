#include <set>

#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.8.3: every variable used, in the operation or its fragments, is defined by the operation.
class NoUndefinedVariablesRule : public ValidationRule {
public:
    explicit NoUndefinedVariablesRule(ValidationContext& context) : context_(context) {}
    void leave_operation(const ast::OperationDefinition& operation) override {
        std::set<std::string_view> defined;
        for (const auto& definition : operation.variable_definitions) defined.insert(definition.variable.value);
        for (const auto& usage : context_.recursive_variable_usages(operation)) {
            const std::string_view name = usage.node->text;
            if (defined.count(name)) continue;
            context_.report(operation.name.empty()
                                ? "Variable \"$" + std::string(name) + "\" is not defined."
                                : "Variable \"$" + std::string(name) + "\" is not defined by operation \"" +
                                      std::string(operation.name.value) + "\".",
                            {usage.node->loc, operation.loc});
        }
    }

private:
    ValidationContext& context_;
};

}  // namespace

RulePtr make_no_undefined_variables_rule(ValidationContext& context) {
    return std::make_unique<NoUndefinedVariablesRule>(context);
}

}  // namespace orderstream::graphql::detail
