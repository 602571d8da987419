#pragma once

#include <string_view>
#include <vector>

#include "orderstream/graphql/language/ast.hpp"

namespace orderstream::graphql::detail {

// A validation rule: hooks called during the single walk over the document, with the ValidationContext
// (given at construction) describing the types in scope. Hooks mirror the reference's visitor keys.
class ValidationRule {
public:
    virtual ~ValidationRule() = default;

    virtual void enter_document(const ast::Document&) {}
    virtual void leave_document(const ast::Document&) {}
    virtual void enter_operation(const ast::OperationDefinition&) {}
    virtual void leave_operation(const ast::OperationDefinition&) {}
    virtual void enter_fragment_definition(const ast::FragmentDefinition&) {}
    virtual void enter_variable_definition(const ast::VariableDefinition&) {}
    virtual void enter_selection_set(const ast::SelectionSet&) {}
    virtual void enter_field(const ast::Selection&) {}
    virtual void leave_field(const ast::Selection&) {}
    virtual void enter_inline_fragment(const ast::Selection&) {}
    virtual void enter_fragment_spread(const ast::Selection&) {}
    // `location` is the directive location name of the node carrying the directive ("FIELD", "QUERY", ...).
    virtual void enter_directive(const ast::Directive&, std::string_view /*location*/) {}
    virtual void leave_directive(const ast::Directive&) {}
    // Every node that can carry directives reports its directive list once.
    virtual void enter_directives(const std::vector<ast::Directive>&) {}
    virtual void enter_argument(const ast::Argument&) {}
    // Returning false skips the nested values for this rule only.
    virtual bool enter_value(const ast::ValueNode&) { return true; }
    virtual void leave_value(const ast::ValueNode&) {}
    virtual void enter_object_field(const ast::ObjectField&) {}
    virtual void enter_named_type(const ast::Name&) {}
};

}  // namespace orderstream::graphql::detail
