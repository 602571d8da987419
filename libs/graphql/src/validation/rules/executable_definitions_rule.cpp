#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.1.1: a document sent for execution holds only operations and fragments.
class ExecutableDefinitionsRule : public ValidationRule {
public:
    explicit ExecutableDefinitionsRule(ValidationContext& context) : context_(context) {}
    void enter_document(const ast::Document& document) override {
        for (const auto& definition : document.definitions) {
            const auto* type_system = std::get_if<ast::TypeSystemDefinition>(&definition);
            if (!type_system) continue;
            const std::string name = type_system->kind == ast::TypeSystemDefinition::Kind::Schema
                                         ? "schema"
                                         : "\"" + std::string(type_system->name.value) + "\"";
            context_.report("The " + name + " definition is not executable.", {type_system->loc});
        }
    }

private:
    ValidationContext& context_;
};

}  // namespace

RulePtr make_executable_definitions_rule(ValidationContext& context) {
    return std::make_unique<ExecutableDefinitionsRule>(context);
}

}  // namespace orderstream::graphql::detail
