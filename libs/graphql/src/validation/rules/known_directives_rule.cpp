#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.7.1 and 5.7.2: directives are defined, and used only where their definition allows.
class KnownDirectivesRule : public ValidationRule {
public:
    explicit KnownDirectivesRule(ValidationContext& context) : context_(context) {}
    void enter_directive(const ast::Directive& directive, std::string_view location) override {
        bool allowed = false;
        if (const auto* definition = context_.document_directive(directive.name.value)) {
            for (const auto& candidate : definition->locations) allowed = allowed || candidate.value == location;
        } else if (const Directive* known = context_.schema().directive(directive.name.value)) {
            for (const auto& candidate : known->locations) allowed = allowed || candidate == location;
        } else {
            context_.report("Unknown directive \"@" + std::string(directive.name.value) + "\".", {directive.loc});
            return;
        }
        if (!allowed) {
            context_.report("Directive \"@" + std::string(directive.name.value) + "\" may not be used on " +
                                std::string(location) + ".",
                            {directive.loc});
        }
    }

private:
    ValidationContext& context_;
};

}  // namespace

RulePtr make_known_directives_rule(ValidationContext& context) { return std::make_unique<KnownDirectivesRule>(context); }

}  // namespace orderstream::graphql::detail
