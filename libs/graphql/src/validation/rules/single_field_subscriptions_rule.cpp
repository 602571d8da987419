#include "execution/collect_fields.hpp"
#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.2.3.1: a subscription selects exactly one root field, which is not introspection.
class SingleFieldSubscriptionsRule : public ValidationRule {
public:
    explicit SingleFieldSubscriptionsRule(ValidationContext& context) : context_(context) {}
    void enter_operation(const ast::OperationDefinition& operation) override {
        if (operation.operation != ast::OperationType::Subscription) return;
        const Type* root = context_.schema().subscription_type();
        if (!root) return;
        FragmentIndex fragments;
        for (const auto& definition : context_.document().definitions) {
            if (const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition)) {
                fragments.fragments.emplace_back(fragment->name.value, fragment);
            }
        }
        FieldGroups groups;
        std::vector<std::string_view> visited;
        const ValueObject no_variables;
        collect_fields(context_.schema(), fragments, no_variables, *root, operation.selection_set, groups, visited);
        const std::string subject = operation.name.empty() ? "Anonymous Subscription"
                                                           : "Subscription \"" + std::string(operation.name.value) + "\"";
        if (groups.size() > 1) {
            std::vector<ast::Loc> extra;
            for (std::size_t i = 1; i < groups.size(); ++i) {
                for (const auto* node : groups[i].nodes) extra.push_back(node->loc);
            }
            context_.report(subject + " must select only one top level field.", std::move(extra));
        }
        for (const auto& group : groups) {
            if (!group.nodes[0]->name.value.starts_with("__")) continue;
            std::vector<ast::Loc> nodes;
            for (const auto* node : group.nodes) nodes.push_back(node->loc);
            context_.report(subject + " must not select an introspection top level field.", std::move(nodes));
        }
    }

private:
    ValidationContext& context_;
};

}  // namespace

RulePtr make_single_field_subscriptions_rule(ValidationContext& context) {
    return std::make_unique<SingleFieldSubscriptionsRule>(context);
}

}  // namespace orderstream::graphql::detail
