#pragma once

#include <string_view>
#include <vector>

#include "orderstream/graphql/type/schema.hpp"

namespace orderstream::graphql::detail {

// Fields selected under one response key, in document order (they are merged at execution).
struct FieldGroup {
    std::string_view response_key;
    std::vector<const ast::Selection*> nodes;
};
using FieldGroups = std::vector<FieldGroup>;

struct FragmentIndex {
    std::vector<std::pair<std::string_view, const ast::FragmentDefinition*>> fragments;
    const ast::FragmentDefinition* find(std::string_view name) const;
};

// CollectFields (spec 6.3.2): fragments, inline fragments, type conditions and @skip/@include.
void collect_fields(const Schema& schema, const FragmentIndex& fragments, const ValueObject& variables,
                    const Type& object_type, const ast::SelectionSet& selection_set, FieldGroups& groups,
                    std::vector<std::string_view>& visited_fragments);

// The merged sub-selections of a field group, for completing an object value.
FieldGroups collect_subfields(const Schema& schema, const FragmentIndex& fragments, const ValueObject& variables,
                              const Type& object_type, const std::vector<const ast::Selection*>& nodes);

}  // namespace orderstream::graphql::detail
