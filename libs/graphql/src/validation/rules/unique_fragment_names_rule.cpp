#include <map>

#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.5.1.1: fragment names are unique within a document.
class UniqueFragmentNamesRule : public ValidationRule {
public:
    explicit UniqueFragmentNamesRule(ValidationContext& context) : context_(context) {}
    void enter_fragment_definition(const ast::FragmentDefinition& fragment) override {
        const auto [known, inserted] = known_.emplace(fragment.name.value, fragment.name.loc);
        if (!inserted) {
            context_.report("There can be only one fragment named \"" + std::string(fragment.name.value) + "\".",
                            {known->second, fragment.name.loc});
        }
    }

private:
    ValidationContext& context_;
    std::map<std::string_view, ast::Loc> known_;
};

}  // namespace

RulePtr make_unique_fragment_names_rule(ValidationContext& context) {
    return std::make_unique<UniqueFragmentNamesRule>(context);
}

}  // namespace orderstream::graphql::detail
