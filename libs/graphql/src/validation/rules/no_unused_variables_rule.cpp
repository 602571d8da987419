#include <set>

#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.8.4: every variable an operation defines is used by it or its fragments.
class NoUnusedVariablesRule : public ValidationRule {
public:
    explicit NoUnusedVariablesRule(ValidationContext& context) : context_(context) {}
    void leave_operation(const ast::OperationDefinition& operation) override {
        std::set<std::string_view> used;
        for (const auto& usage : context_.recursive_variable_usages(operation)) used.insert(usage.node->text);
        for (const auto& definition : operation.variable_definitions) {
            if (used.count(definition.variable.value)) continue;
            const std::string name(definition.variable.value);
            context_.report(operation.name.empty() ? "Variable \"$" + name + "\" is never used."
                                                   : "Variable \"$" + name + "\" is never used in operation \"" +
                                                         std::string(operation.name.value) + "\".",
                            {definition.loc});
        }
    }

private:
    ValidationContext& context_;
};

}  // namespace

RulePtr make_no_unused_variables_rule(ValidationContext& context) {
    return std::make_unique<NoUnusedVariablesRule>(context);
}

}  // namespace orderstream::graphql::detail
