#include <map>

#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.6.3: an input object literal names each field once.
class UniqueInputFieldNamesRule : public ValidationRule {
public:
    explicit UniqueInputFieldNamesRule(ValidationContext& context) : context_(context) {}
    bool enter_value(const ast::ValueNode& value) override {
        if (value.kind == ast::ValueKind::Object) known_.emplace_back();
        return true;
    }
    void leave_value(const ast::ValueNode& value) override {
        if (value.kind == ast::ValueKind::Object && !known_.empty()) known_.pop_back();
    }
    void enter_object_field(const ast::ObjectField& field) override {
        if (known_.empty()) return;
        const auto [first, inserted] = known_.back().emplace(field.name.value, field.name.loc);
        if (!inserted) {
            context_.report("There can be only one input field named \"" + std::string(field.name.value) + "\".",
                            {first->second, field.name.loc});
        }
    }

private:
    ValidationContext& context_;
    std::vector<std::map<std::string_view, ast::Loc>> known_;
};

}  // namespace

RulePtr make_unique_input_field_names_rule(ValidationContext& context) {
    return std::make_unique<UniqueInputFieldNamesRule>(context);
}

}  // namespace orderstream::graphql::detail
