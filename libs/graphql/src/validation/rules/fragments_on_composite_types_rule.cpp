#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.5.1.3: fragments condition only on objects, interfaces and unions.
class FragmentsOnCompositeTypesRule : public ValidationRule {
public:
    explicit FragmentsOnCompositeTypesRule(ValidationContext& context) : context_(context) {}
    void enter_inline_fragment(const ast::Selection& fragment) override {
        if (fragment.type_condition.empty()) return;
        const Type* type = context_.schema().type(fragment.type_condition.value);
        if (type && !type->is_composite()) {
            context_.report("Fragment cannot condition on non composite type \"" + type->name + "\".",
                            {fragment.type_condition.loc});
        }
    }
    void enter_fragment_definition(const ast::FragmentDefinition& fragment) override {
        const Type* type = context_.schema().type(fragment.type_condition.value);
        if (type && !type->is_composite()) {
            context_.report("Fragment \"" + std::string(fragment.name.value) +
                                "\" cannot condition on non composite type \"" + type->name + "\".",
                            {fragment.type_condition.loc});
        }
    }

private:
    ValidationContext& context_;
};

}  // namespace

RulePtr make_fragments_on_composite_types_rule(ValidationContext& context) {
    return std::make_unique<FragmentsOnCompositeTypesRule>(context);
}

}  // namespace orderstream::graphql::detail
