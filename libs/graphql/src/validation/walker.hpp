#pragma once

#include <memory>
#include <vector>

#include "rule.hpp"
#include "type_info.hpp"

namespace orderstream::graphql::detail {

// Walks a document (or one definition) in the reference's visiting order, keeping `type_info` current
// and calling every rule at each node, like graphql-js's visitInParallel + visitWithTypeInfo.
class Walker {
public:
    Walker(TypeInfo& type_info, std::vector<ValidationRule*> rules);

    void walk(const ast::Document& document);
    void walk(const ast::OperationDefinition& operation);
    void walk(const ast::FragmentDefinition& fragment);

private:
    void walk_variable_definition(const ast::VariableDefinition& definition);
    void walk_selection_set(const ast::SelectionSet& selection_set);
    void walk_field(const ast::Selection& field);
    void walk_inline_fragment(const ast::Selection& fragment);
    void walk_fragment_spread(const ast::Selection& spread);
    void walk_directives(const std::vector<ast::Directive>& directives, std::string_view location);
    void walk_argument(const ast::Argument& argument);
    void walk_value(const ast::ValueNode& value);
    void walk_named_type(const ast::TypeNode& type);
    void walk_type_system(const ast::TypeSystemDefinition& definition);
    void walk_input_values(const std::vector<ast::InputValueDefinition>& values, std::string_view location);

    TypeInfo& type_info_;
    std::vector<ValidationRule*> rules_;
    std::vector<const ast::ValueNode*> skipping_;  // per rule: the value whose subtree it skips
};

}  // namespace orderstream::graphql::detail
