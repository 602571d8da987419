#include <map>

#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.4.1: arguments are defined by the field or directive they are given to.
class KnownArgumentNamesRule : public ValidationRule {
public:
    explicit KnownArgumentNamesRule(ValidationContext& context) : context_(context) {}
    void enter_directive(const ast::Directive& directive, std::string_view) override {
        ++directive_depth_;
        const auto* document_definition = context_.document_directive(directive.name.value);
        const Directive* known = document_definition ? nullptr : context_.schema().directive(directive.name.value);
        if (!document_definition && !known) return;
        for (const auto& argument : directive.arguments) {
            bool defined = false;
            if (document_definition) {
                for (const auto& candidate : document_definition->input_values) {
                    defined = defined || candidate.name.value == argument.name.value;
                }
            } else {
                defined = known->argument(argument.name.value) != nullptr;
            }
            if (!defined) {
                context_.report("Unknown argument \"" + std::string(argument.name.value) + "\" on directive \"@" +
                                    std::string(directive.name.value) + "\".",
                                {argument.loc});
            }
        }
    }
    void leave_directive(const ast::Directive&) override { --directive_depth_; }
    void enter_argument(const ast::Argument& argument) override {
        if (directive_depth_ > 0) return;  // directive arguments were checked above
        const TypeInfo& info = context_.type_info();
        if (info.argument() || !info.field_def() || !info.parent_type()) return;
        context_.report("Unknown argument \"" + std::string(argument.name.value) + "\" on field \"" +
                            info.parent_type()->name + "." + info.field_def()->name + "\".",
                        {argument.loc});
    }

private:
    ValidationContext& context_;
    int directive_depth_ = 0;
};

}  // namespace

RulePtr make_known_argument_names_rule(ValidationContext& context) {
    return std::make_unique<KnownArgumentNamesRule>(context);
}

}  // namespace orderstream::graphql::detail
