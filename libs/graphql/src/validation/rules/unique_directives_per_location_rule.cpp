#include <map>

#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.7.3: a non-repeatable directive appears at most once per location.
class UniqueDirectivesPerLocationRule : public ValidationRule {
public:
    explicit UniqueDirectivesPerLocationRule(ValidationContext& context) : context_(context) {}
    void enter_directives(const std::vector<ast::Directive>& directives) override {
        if (directives.size() < 2) return;
        std::map<std::string_view, ast::Loc> seen;
        for (const auto& directive : directives) {
            if (!is_unique(directive.name.value)) continue;
            const auto [first, inserted] = seen.emplace(directive.name.value, directive.loc);
            if (!inserted) {
                context_.report("The directive \"@" + std::string(directive.name.value) +
                                    "\" can only be used once at this location.",
                                {first->second, directive.loc});
            }
        }
    }

private:
    // Known and not repeatable; unknown directives are KnownDirectives' business.
    bool is_unique(std::string_view name) const {
        if (const auto* definition = context_.document_directive(name)) return !definition->repeatable;
        const Directive* known = context_.schema().directive(name);
        return known && !known->repeatable;
    }

    ValidationContext& context_;
};

}  // namespace

RulePtr make_unique_directives_per_location_rule(ValidationContext& context) {
    return std::make_unique<UniqueDirectivesPerLocationRule>(context);
}

}  // namespace orderstream::graphql::detail
