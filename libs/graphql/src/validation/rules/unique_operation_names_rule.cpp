#include <map>

#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.2.1.1: operation names are unique within a document.
class UniqueOperationNamesRule : public ValidationRule {
public:
    explicit UniqueOperationNamesRule(ValidationContext& context) : context_(context) {}
    void enter_operation(const ast::OperationDefinition& operation) override {
        if (operation.name.empty()) return;
        const auto [known, inserted] = known_.emplace(operation.name.value, operation.name.loc);
        if (!inserted) {
            context_.report("There can be only one operation named \"" + std::string(operation.name.value) + "\".",
                            {known->second, operation.name.loc});
        }
    }

private:
    ValidationContext& context_;
    std::map<std::string_view, ast::Loc> known_;
};

}  // namespace

RulePtr make_unique_operation_names_rule(ValidationContext& context) {
    return std::make_unique<UniqueOperationNamesRule>(context);
}

}  // namespace orderstream::graphql::detail
