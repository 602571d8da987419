#include "validation_context.hpp"

#include <algorithm>

#include "walker.hpp"

namespace orderstream::graphql::detail {

ValidationContext::ValidationContext(const Schema& schema, const ast::Document& document, std::size_t max_errors)
    : schema_(schema), document_(document), type_info_(schema), max_errors_(max_errors) {
    for (const auto& definition : document.definitions) {
        if (const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition)) {
            fragments_.insert_or_assign(fragment->name.value, fragment);  // the last definition wins, as in the reference
        } else if (const auto* type_system = std::get_if<ast::TypeSystemDefinition>(&definition);
                   type_system && type_system->kind == ast::TypeSystemDefinition::Kind::Directive) {
            directive_definitions_.insert_or_assign(type_system->name.value, type_system);
        }
    }
}

void ValidationContext::report(std::string message, std::vector<ast::Loc> nodes) {
    if (aborted_) return;
    if (errors_.size() >= max_errors_) {
        errors_.push_back(GraphQLError{"Too many validation errors, error limit reached. Validation aborted.", {}, {}, {}});
        aborted_ = true;
        return;
    }
    GraphQLError error{std::move(message), {}, {}, {}};
    for (const auto& loc : nodes) error.locations.push_back(document_.location_of(loc));
    errors_.push_back(std::move(error));
}

std::vector<GraphQLError> ValidationContext::take_errors() { return std::move(errors_); }

const ast::FragmentDefinition* ValidationContext::fragment(std::string_view name) const {
    const auto found = fragments_.find(name);
    return found == fragments_.end() ? nullptr : found->second;
}

const ast::TypeSystemDefinition* ValidationContext::document_directive(std::string_view name) const {
    if (directive_definitions_.empty()) return nullptr;
    const auto found = directive_definitions_.find(name);
    return found == directive_definitions_.end() ? nullptr : found->second;
}

const std::vector<const ast::Selection*>& ValidationContext::fragment_spreads(const ast::SelectionSet& selection_set) {
    auto found = spreads_.find(&selection_set);
    if (found != spreads_.end()) return found->second;
    std::vector<const ast::Selection*> spreads;
    // A stack, not a queue: the order matters to which fragment cycles get reported, as in the reference.
    std::vector<const ast::SelectionSet*> to_visit{&selection_set};
    while (!to_visit.empty()) {
        const ast::SelectionSet* set = to_visit.back();
        to_visit.pop_back();
        for (const auto& selection : set->selections) {
            if (selection.kind == ast::SelectionKind::FragmentSpread) {
                spreads.push_back(&selection);
            } else if (selection.has_selection_set) {
                to_visit.push_back(&selection.selection_set);
            }
        }
    }
    return spreads_.emplace(&selection_set, std::move(spreads)).first->second;
}

const std::vector<const ast::FragmentDefinition*>& ValidationContext::recursively_referenced_fragments(
    const ast::OperationDefinition& operation) {
    auto found = referenced_.find(&operation);
    if (found != referenced_.end()) return found->second;
    std::vector<const ast::FragmentDefinition*> fragments;
    std::vector<std::string_view> collected;
    std::vector<const ast::SelectionSet*> to_visit{&operation.selection_set};
    while (!to_visit.empty()) {
        const ast::SelectionSet* set = to_visit.back();
        to_visit.pop_back();
        for (const ast::Selection* spread : fragment_spreads(*set)) {
            const std::string_view name = spread->name.value;
            if (std::find(collected.begin(), collected.end(), name) != collected.end()) continue;
            collected.push_back(name);
            if (const ast::FragmentDefinition* definition = fragment(name)) {
                fragments.push_back(definition);
                to_visit.push_back(&definition->selection_set);
            }
        }
    }
    return referenced_.emplace(&operation, std::move(fragments)).first->second;
}

namespace {
class VariableUsageCollector : public ValidationRule {
public:
    VariableUsageCollector(TypeInfo& type_info, std::vector<VariableUsage>& usages)
        : type_info_(type_info), usages_(usages) {}
    bool enter_value(const ast::ValueNode& value) override {
        if (value.kind == ast::ValueKind::Variable) {
            usages_.push_back(VariableUsage{&value, type_info_.input_type(), type_info_.has_default_value(),
                                            type_info_.parent_input_type()});
        }
        return true;
    }
    // Default values of variable definitions are constants; the reference skips them entirely.
private:
    TypeInfo& type_info_;
    std::vector<VariableUsage>& usages_;
};
}  // namespace

const std::vector<VariableUsage>& ValidationContext::variable_usages(const void* node) {
    auto found = usages_.find(node);
    if (found != usages_.end()) return found->second;
    std::vector<VariableUsage> usages;
    TypeInfo type_info(schema_);
    VariableUsageCollector collector(type_info, usages);
    Walker walker(type_info, {&collector});
    bool is_operation = false;
    for (const auto& definition : document_.definitions) {
        if (const auto* operation = std::get_if<ast::OperationDefinition>(&definition); operation == node) {
            walker.walk(*operation);
            is_operation = true;
        }
    }
    if (!is_operation) walker.walk(*static_cast<const ast::FragmentDefinition*>(node));
    return usages_.emplace(node, std::move(usages)).first->second;
}

const std::vector<VariableUsage>& ValidationContext::recursive_variable_usages(const ast::OperationDefinition& operation) {
    auto found = recursive_usages_.find(&operation);
    if (found != recursive_usages_.end()) return found->second;
    std::vector<VariableUsage> usages = variable_usages(&operation);
    for (const ast::FragmentDefinition* fragment : recursively_referenced_fragments(operation)) {
        const auto& fragment_usages = variable_usages(fragment);
        usages.insert(usages.end(), fragment_usages.begin(), fragment_usages.end());
    }
    return recursive_usages_.emplace(&operation, std::move(usages)).first->second;
}

}  // namespace orderstream::graphql::detail
