#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.3.3: leaf fields have no selection set; composite fields must have one.
class ScalarLeafsRule : public ValidationRule {
public:
    explicit ScalarLeafsRule(ValidationContext& context) : context_(context) {}
    void enter_field(const ast::Selection& field) override {
        const Type* type = context_.type_info().type();
        if (!type) return;
        const std::string name(field.name.value);
        if (type->named().is_leaf()) {
            if (field.has_selection_set) {
                context_.report("Field \"" + name + "\" must not have a selection since type \"" + type->to_string() +
                                    "\" has no subfields.",
                                {field.selection_set.loc});
            }
        } else if (!field.has_selection_set) {
            context_.report("Field \"" + name + "\" of type \"" + type->to_string() +
                                "\" must have a selection of subfields. Did you mean \"" + name + " { ... }\"?",
                            {field.loc});
        }
    }

private:
    ValidationContext& context_;
};

}  // namespace

RulePtr make_scalar_leafs_rule(ValidationContext& context) { return std::make_unique<ScalarLeafsRule>(context); }

}  // namespace orderstream::graphql::detail
