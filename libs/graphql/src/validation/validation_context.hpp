#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "orderstream/graphql/error/graphql_error.hpp"
#include "type_info.hpp"

namespace orderstream::graphql::detail {

// A variable used somewhere in an operation (directly or through fragments), with the input type expected
// where it appears.
struct VariableUsage {
    const ast::ValueNode* node;
    const Type* type;
    bool location_has_default;
    const Type* parent_type;
};

// What rules share: the schema, the document, the current TypeInfo, memoised document facts, and the
// error sink.
class ValidationContext {
public:
    ValidationContext(const Schema& schema, const ast::Document& document, std::size_t max_errors);

    const Schema& schema() const { return schema_; }
    const ast::Document& document() const { return document_; }
    TypeInfo& type_info() { return type_info_; }

    void report(std::string message, std::vector<ast::Loc> nodes);
    bool error_limit_reached() const { return errors_.size() >= max_errors_; }
    std::vector<GraphQLError> take_errors();

    const ast::FragmentDefinition* fragment(std::string_view name) const;
    // A directive definition written in the document itself (the reference honours those too).
    const ast::TypeSystemDefinition* document_directive(std::string_view name) const;
    const std::vector<const ast::Selection*>& fragment_spreads(const ast::SelectionSet& selection_set);
    const std::vector<const ast::FragmentDefinition*>& recursively_referenced_fragments(
        const ast::OperationDefinition& operation);
    const std::vector<VariableUsage>& variable_usages(const void* node);
    const std::vector<VariableUsage>& recursive_variable_usages(const ast::OperationDefinition& operation);

private:
    const Schema& schema_;
    const ast::Document& document_;
    TypeInfo type_info_;
    std::size_t max_errors_;
    bool aborted_ = false;
    std::vector<GraphQLError> errors_;
    std::map<std::string_view, const ast::FragmentDefinition*> fragments_;
    std::map<std::string_view, const ast::TypeSystemDefinition*> directive_definitions_;
    std::map<const ast::SelectionSet*, std::vector<const ast::Selection*>> spreads_;
    std::map<const ast::OperationDefinition*, std::vector<const ast::FragmentDefinition*>> referenced_;
    std::map<const void*, std::vector<VariableUsage>> usages_;
    std::map<const ast::OperationDefinition*, std::vector<VariableUsage>> recursive_usages_;
};

}  // namespace orderstream::graphql::detail
