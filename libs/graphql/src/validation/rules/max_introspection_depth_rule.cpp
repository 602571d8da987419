#include <set>

#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

constexpr int kMaxListsDepth = 3;

// Not in the spec; graphql-js recommends it: introspection queries may not nest the list fields
// (fields, interfaces, possibleTypes, inputFields) three deep, which would make responses explode.
class MaxIntrospectionDepthRule : public ValidationRule {
public:
    explicit MaxIntrospectionDepthRule(ValidationContext& context) : context_(context) {}
    void enter_field(const ast::Selection& field) override {
        if (reported_under_) return;
        if (field.name.value != "__schema" && field.name.value != "__type") return;
        std::set<std::string_view> visited;
        if (too_deep(field, visited, 0)) {
            context_.report("Maximum introspection depth exceeded", {field.loc});
            reported_under_ = &field;  // like the reference, do not look inside it again
        }
    }
    void leave_field(const ast::Selection& field) override {
        if (reported_under_ == &field) reported_under_ = nullptr;
    }

private:
    bool too_deep(const ast::Selection& node, std::set<std::string_view>& visited, int depth) {
        if (node.kind == ast::SelectionKind::FragmentSpread) {
            const std::string_view name = node.name.value;
            if (visited.count(name)) return false;
            const ast::FragmentDefinition* fragment = context_.fragment(name);
            if (!fragment) return false;
            visited.insert(name);
            const bool result = too_deep_set(fragment->selection_set, visited, depth);
            visited.erase(name);
            return result;
        }
        if (node.kind == ast::SelectionKind::Field) {
            const std::string_view name = node.name.value;
            if (name == "fields" || name == "interfaces" || name == "possibleTypes" || name == "inputFields") {
                if (++depth >= kMaxListsDepth) return true;
            }
        }
        return node.has_selection_set && too_deep_set(node.selection_set, visited, depth);
    }

    bool too_deep_set(const ast::SelectionSet& set, std::set<std::string_view>& visited, int depth) {
        for (const auto& child : set.selections) {
            if (too_deep(child, visited, depth)) return true;
        }
        return false;
    }

    ValidationContext& context_;
    const ast::Selection* reported_under_ = nullptr;
};

}  // namespace

RulePtr make_max_introspection_depth_rule(ValidationContext& context) {
    return std::make_unique<MaxIntrospectionDepthRule>(context);
}

}  // namespace orderstream::graphql::detail
