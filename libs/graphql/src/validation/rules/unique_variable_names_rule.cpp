#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.8.1: variable names are unique within an operation.
class UniqueVariableNamesRule : public ValidationRule {
public:
    explicit UniqueVariableNamesRule(ValidationContext& context) : context_(context) {}
    void enter_operation(const ast::OperationDefinition& operation) override {
        std::vector<std::pair<std::string_view, std::vector<ast::Loc>>> groups;
        for (const auto& definition : operation.variable_definitions) {
            auto group = std::find_if(groups.begin(), groups.end(),
                                      [&](const auto& g) { return g.first == definition.variable.value; });
            if (group == groups.end()) {
                groups.push_back({definition.variable.value, {definition.variable.loc}});
            } else {
                group->second.push_back(definition.variable.loc);
            }
        }
        for (auto& [name, nodes] : groups) {
            if (nodes.size() > 1) {
                context_.report("There can be only one variable named \"$" + std::string(name) + "\".", std::move(nodes));
            }
        }
    }

private:
    ValidationContext& context_;
};

}  // namespace

RulePtr make_unique_variable_names_rule(ValidationContext& context) {
    return std::make_unique<UniqueVariableNamesRule>(context);
}

}  // namespace orderstream::graphql::detail
