#include <map>

#include "orderstream/graphql/language/printer.hpp"
#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

bool is_provided(const std::vector<ast::Argument>& arguments, std::string_view name) {
    return std::any_of(arguments.begin(), arguments.end(), [&](const ast::Argument& a) { return a.name.value == name; });
}

// Spec 5.4.2.1: required arguments (non-null without a default) are given.
class ProvidedRequiredArgumentsRule : public ValidationRule {
public:
    explicit ProvidedRequiredArgumentsRule(ValidationContext& context) : context_(context) {}

    void leave_field(const ast::Selection& field) override {
        const Field* definition = context_.type_info().field_def();
        if (!definition) return;
        for (const auto& argument : definition->arguments) {
            if (!is_provided(field.arguments, argument.name) && argument.type->is_non_null() && !argument.default_value) {
                context_.report("Field \"" + definition->name + "\" argument \"" + argument.name + "\" of type \"" +
                                    argument.type->to_string() + "\" is required, but it was not provided.",
                                {field.loc});
            }
        }
    }

    void leave_directive(const ast::Directive& directive) override {
        const std::string name(directive.name.value);
        const auto missing = [&](const std::string& argument, const std::string& type) {
            context_.report("Directive \"@" + name + "\" argument \"" + argument + "\" of type \"" + type +
                                "\" is required, but it was not provided.",
                            {directive.loc});
        };
        if (const auto* definition = context_.document_directive(name)) {
            for (const auto& argument : definition->input_values) {
                if (argument.type.kind == ast::TypeNode::Kind::NonNull && !argument.default_value &&
                    !is_provided(directive.arguments, argument.name.value)) {
                    missing(std::string(argument.name.value), print(argument.type));
                }
            }
        } else if (const Directive* known = context_.schema().directive(name)) {
            for (const auto& argument : known->arguments) {
                if (argument.type->is_non_null() && !argument.default_value &&
                    !is_provided(directive.arguments, argument.name)) {
                    missing(argument.name, argument.type->to_string());
                }
            }
        }
    }

private:
    ValidationContext& context_;
};

}  // namespace

RulePtr make_provided_required_arguments_rule(ValidationContext& context) {
    return std::make_unique<ProvidedRequiredArgumentsRule>(context);
}

}  // namespace orderstream::graphql::detail
