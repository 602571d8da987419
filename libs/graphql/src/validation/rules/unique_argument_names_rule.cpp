#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.4.2: an argument is given at most once per field or directive.
class UniqueArgumentNamesRule : public ValidationRule {
public:
    explicit UniqueArgumentNamesRule(ValidationContext& context) : context_(context) {}
    void enter_field(const ast::Selection& field) override { check(field.arguments); }
    void enter_directive(const ast::Directive& directive, std::string_view) override { check(directive.arguments); }

private:
    void check(const std::vector<ast::Argument>& arguments) {
        std::vector<std::pair<std::string_view, std::vector<ast::Loc>>> groups;
        for (const auto& argument : arguments) {
            auto group = std::find_if(groups.begin(), groups.end(),
                                      [&](const auto& g) { return g.first == argument.name.value; });
            if (group == groups.end()) {
                groups.push_back({argument.name.value, {argument.name.loc}});
            } else {
                group->second.push_back(argument.name.loc);
            }
        }
        for (auto& [name, nodes] : groups) {
            if (nodes.size() > 1) {
                context_.report("There can be only one argument named \"" + std::string(name) + "\".", std::move(nodes));
            }
        }
    }

    ValidationContext& context_;
};

}  // namespace

RulePtr make_unique_argument_names_rule(ValidationContext& context) {
    return std::make_unique<UniqueArgumentNamesRule>(context);
}

}  // namespace orderstream::graphql::detail
