#include "collect_fields.hpp"

#include <algorithm>

#include "values.hpp"

namespace orderstream::graphql::detail {

const ast::FragmentDefinition* FragmentIndex::find(std::string_view name) const {
    for (const auto& [fragment_name, fragment] : fragments) {
        if (fragment_name == name) return fragment;
    }
    return nullptr;
}

namespace {
bool fragment_condition_matches(const Schema& schema, const ast::Name& condition, const Type& object_type) {
    if (condition.empty()) return true;
    const Type* conditional = schema.type(condition.value);
    if (!conditional) return false;
    if (conditional == &object_type) return true;
    if (conditional->is_abstract()) return schema.is_sub_type(*conditional, object_type);
    return false;
}
}  // namespace

void collect_fields(const Schema& schema, const FragmentIndex& fragments, const ValueObject& variables,
                    const Type& object_type, const ast::SelectionSet& selection_set, FieldGroups& groups,
                    std::vector<std::string_view>& visited_fragments) {
    for (const auto& selection : selection_set.selections) {
        switch (selection.kind) {
            case ast::SelectionKind::Field: {
                if (!should_include(selection.directives, variables)) continue;
                const std::string_view key = selection.response_key();
                auto group = std::find_if(groups.begin(), groups.end(),
                                          [&](const FieldGroup& g) { return g.response_key == key; });
                if (group == groups.end()) {
                    groups.push_back(FieldGroup{key, {&selection}});
                } else {
                    group->nodes.push_back(&selection);
                }
                break;
            }
            case ast::SelectionKind::InlineFragment:
                if (!should_include(selection.directives, variables) ||
                    !fragment_condition_matches(schema, selection.type_condition, object_type)) {
                    continue;
                }
                collect_fields(schema, fragments, variables, object_type, selection.selection_set, groups,
                               visited_fragments);
                break;
            case ast::SelectionKind::FragmentSpread: {
                const std::string_view name = selection.name.value;
                if (std::find(visited_fragments.begin(), visited_fragments.end(), name) != visited_fragments.end() ||
                    !should_include(selection.directives, variables)) {
                    continue;
                }
                visited_fragments.push_back(name);
                const ast::FragmentDefinition* fragment = fragments.find(name);
                if (!fragment || !fragment_condition_matches(schema, fragment->type_condition, object_type)) continue;
                collect_fields(schema, fragments, variables, object_type, fragment->selection_set, groups,
                               visited_fragments);
                break;
            }
        }
    }
}

FieldGroups collect_subfields(const Schema& schema, const FragmentIndex& fragments, const ValueObject& variables,
                              const Type& object_type, const std::vector<const ast::Selection*>& nodes) {
    FieldGroups groups;
    std::vector<std::string_view> visited;
    for (const ast::Selection* node : nodes) {
        if (node->has_selection_set) {
            collect_fields(schema, fragments, variables, object_type, node->selection_set, groups, visited);
        }
    }
    return groups;
}

}  // namespace orderstream::graphql::detail
