#include <set>

#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.4.1.2 / 5.5.1.2: every named type in variable types and type conditions exists.
class KnownTypeNamesRule : public ValidationRule {
public:
    explicit KnownTypeNamesRule(ValidationContext& context) : context_(context) {
        for (const auto& definition : context.document().definitions) {
            const auto* type = std::get_if<ast::TypeSystemDefinition>(&definition);
            if (type && !type->extension && type->kind != ast::TypeSystemDefinition::Kind::Schema &&
                type->kind != ast::TypeSystemDefinition::Kind::Directive) {
                defined_in_document_.insert(type->name.value);
            }
        }
    }
    void enter_named_type(const ast::Name& name) override {
        if (context_.schema().type(name.value) || defined_in_document_.count(name.value)) return;
        // Inside type-system definitions the reference tolerates the standard names even if unused.
        static constexpr std::string_view kStandard[] = {"String", "Int", "Float", "Boolean", "ID", "__Schema",
                                                         "__Type", "__TypeKind", "__Field", "__InputValue",
                                                         "__EnumValue", "__Directive", "__DirectiveLocation"};
        for (std::string_view standard : kStandard) {
            if (standard == name.value) return;
        }
        context_.report("Unknown type \"" + std::string(name.value) + "\".", {name.loc});
    }

private:
    ValidationContext& context_;
    std::set<std::string_view> defined_in_document_;
};

}  // namespace

RulePtr make_known_type_names_rule(ValidationContext& context) { return std::make_unique<KnownTypeNamesRule>(context); }

}  // namespace orderstream::graphql::detail
