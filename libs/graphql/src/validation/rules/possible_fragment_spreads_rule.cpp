#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.5.2.3: a fragment is spread only where its type can apply to the parent type.
class PossibleFragmentSpreadsRule : public ValidationRule {
public:
    explicit PossibleFragmentSpreadsRule(ValidationContext& context) : context_(context) {}
    void enter_inline_fragment(const ast::Selection& fragment) override {
        const Type* fragment_type = context_.type_info().type();
        const Type* parent_type = context_.type_info().parent_type();
        if (fragment_type && fragment_type->is_composite() && parent_type && parent_type->is_composite() &&
            !do_types_overlap(context_.schema(), *fragment_type, *parent_type)) {
            context_.report("Fragment cannot be spread here as objects of type \"" + parent_type->name +
                                "\" can never be of type \"" + fragment_type->name + "\".",
                            {fragment.loc});
        }
    }
    void enter_fragment_spread(const ast::Selection& spread) override {
        const ast::FragmentDefinition* fragment = context_.fragment(spread.name.value);
        if (!fragment) return;
        const Type* fragment_type = context_.schema().type(fragment->type_condition.value);
        const Type* parent_type = context_.type_info().parent_type();
        if (fragment_type && fragment_type->is_composite() && parent_type &&
            !do_types_overlap(context_.schema(), *fragment_type, *parent_type)) {
            context_.report("Fragment \"" + std::string(spread.name.value) +
                                "\" cannot be spread here as objects of type \"" + parent_type->name +
                                "\" can never be of type \"" + fragment_type->name + "\".",
                            {spread.loc});
        }
    }

private:
    ValidationContext& context_;
};

}  // namespace

RulePtr make_possible_fragment_spreads_rule(ValidationContext& context) {
    return std::make_unique<PossibleFragmentSpreadsRule>(context);
}

}  // namespace orderstream::graphql::detail
