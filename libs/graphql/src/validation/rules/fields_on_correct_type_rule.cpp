#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.3.1: selected fields exist on the parent type.
class FieldsOnCorrectTypeRule : public ValidationRule {
public:
    explicit FieldsOnCorrectTypeRule(ValidationContext& context) : context_(context) {}
    void enter_field(const ast::Selection& field) override {
        const Type* parent = context_.type_info().parent_type();
        if (!parent || context_.type_info().field_def()) return;
        context_.report("Cannot query field \"" + std::string(field.name.value) + "\" on type \"" + parent->name + "\".",
                        {field.loc});
    }

private:
    ValidationContext& context_;
};

}  // namespace

RulePtr make_fields_on_correct_type_rule(ValidationContext& context) {
    return std::make_unique<FieldsOnCorrectTypeRule>(context);
}

}  // namespace orderstream::graphql::detail
