#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.5.2.1: spread fragments are defined in the document.
class KnownFragmentNamesRule : public ValidationRule {
public:
    explicit KnownFragmentNamesRule(ValidationContext& context) : context_(context) {}
    void enter_fragment_spread(const ast::Selection& spread) override {
        if (!context_.fragment(spread.name.value)) {
            context_.report("Unknown fragment \"" + std::string(spread.name.value) + "\".", {spread.name.loc});
        }
    }

private:
    ValidationContext& context_;
};

}  // namespace

RulePtr make_known_fragment_names_rule(ValidationContext& context) {
    return std::make_unique<KnownFragmentNamesRule>(context);
}

}  // namespace orderstream::graphql::detail
