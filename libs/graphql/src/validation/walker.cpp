#include "walker.hpp"

namespace orderstream::graphql::detail {

Walker::Walker(TypeInfo& type_info, std::vector<ValidationRule*> rules)
    : type_info_(type_info), rules_(std::move(rules)), skipping_(rules_.size(), nullptr) {}

void Walker::walk(const ast::Document& document) {
    for (auto* rule : rules_) rule->enter_document(document);
    for (const auto& definition : document.definitions) {
        if (const auto* operation = std::get_if<ast::OperationDefinition>(&definition)) {
            walk(*operation);
        } else if (const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition)) {
            walk(*fragment);
        } else {
            walk_type_system(std::get<ast::TypeSystemDefinition>(definition));
        }
    }
    for (auto* rule : rules_) rule->leave_document(document);
}

// Type-system definitions are not executable, but the reference still visits their directives and type
// references, so the rules report the same problems inside them.
void Walker::walk_type_system(const ast::TypeSystemDefinition& definition) {
    using Kind = ast::TypeSystemDefinition::Kind;
    static constexpr std::string_view kLocations[] = {"SCHEMA", "SCALAR", "OBJECT", "INTERFACE",
                                                      "UNION",  "ENUM",   "INPUT_OBJECT", ""};
    if (definition.kind != Kind::Directive) {
        walk_directives(definition.directives, kLocations[static_cast<int>(definition.kind)]);
    }
    for (const auto& interface : definition.interfaces) {
        for (auto* rule : rules_) rule->enter_named_type(interface);
    }
    for (const auto& operation : definition.operation_types) {
        for (auto* rule : rules_) rule->enter_named_type(operation.type);
    }
    for (const auto& field : definition.fields) {
        walk_input_values(field.arguments, "ARGUMENT_DEFINITION");
        walk_named_type(field.type);
        walk_directives(field.directives, "FIELD_DEFINITION");
    }
    for (const auto& member : definition.union_members) {
        for (auto* rule : rules_) rule->enter_named_type(member);
    }
    for (const auto& value : definition.enum_values) walk_directives(value.directives, "ENUM_VALUE");
    walk_input_values(definition.input_values,
                      definition.kind == Kind::InputObject ? "INPUT_FIELD_DEFINITION" : "ARGUMENT_DEFINITION");
}

void Walker::walk_input_values(const std::vector<ast::InputValueDefinition>& values, std::string_view location) {
    for (const auto& value : values) {
        walk_named_type(value.type);
        walk_directives(value.directives, location);
    }
}

void Walker::walk(const ast::OperationDefinition& operation) {
    const Schema& schema = type_info_.schema();
    const Type* root = operation.operation == ast::OperationType::Query      ? schema.query_type()
                       : operation.operation == ast::OperationType::Mutation ? schema.mutation_type()
                                                                             : schema.subscription_type();
    type_info_.push_type(root);
    for (auto* rule : rules_) rule->enter_operation(operation);
    for (const auto& definition : operation.variable_definitions) walk_variable_definition(definition);
    static constexpr std::string_view kLocations[] = {"QUERY", "MUTATION", "SUBSCRIPTION"};
    walk_directives(operation.directives, kLocations[static_cast<int>(operation.operation)]);
    walk_selection_set(operation.selection_set);
    for (auto* rule : rules_) rule->leave_operation(operation);
    type_info_.pop_type();
}

void Walker::walk(const ast::FragmentDefinition& fragment) {
    type_info_.push_type(type_info_.schema().type(fragment.type_condition.value));
    for (auto* rule : rules_) rule->enter_fragment_definition(fragment);
    for (auto* rule : rules_) rule->enter_named_type(fragment.type_condition);
    walk_directives(fragment.directives, "FRAGMENT_DEFINITION");
    walk_selection_set(fragment.selection_set);
    type_info_.pop_type();
}

void Walker::walk_variable_definition(const ast::VariableDefinition& definition) {
    type_info_.push_input(type_info_.schema().type_from_ast(definition.type), false);
    for (auto* rule : rules_) rule->enter_variable_definition(definition);
    walk_named_type(definition.type);
    if (definition.default_value) walk_value(*definition.default_value);
    walk_directives(definition.directives, "VARIABLE_DEFINITION");
    type_info_.pop_input();
}

void Walker::walk_named_type(const ast::TypeNode& type) {
    const ast::TypeNode* named = &type;
    while (named->of_type) named = named->of_type.get();
    for (auto* rule : rules_) rule->enter_named_type(named->name);
}

void Walker::walk_selection_set(const ast::SelectionSet& selection_set) {
    type_info_.push_parent_type();
    for (auto* rule : rules_) rule->enter_selection_set(selection_set);
    for (const auto& selection : selection_set.selections) {
        switch (selection.kind) {
            case ast::SelectionKind::Field: walk_field(selection); break;
            case ast::SelectionKind::InlineFragment: walk_inline_fragment(selection); break;
            case ast::SelectionKind::FragmentSpread: walk_fragment_spread(selection); break;
        }
    }
    type_info_.pop_parent_type();
}

void Walker::walk_field(const ast::Selection& field) {
    const Type* parent = type_info_.parent_type();
    const Field* definition = parent ? type_info_.field_definition(*parent, field.name.value) : nullptr;
    type_info_.push_field(definition);
    type_info_.push_type(definition ? definition->type : nullptr);
    for (auto* rule : rules_) rule->enter_field(field);
    for (const auto& argument : field.arguments) walk_argument(argument);
    walk_directives(field.directives, "FIELD");
    if (field.has_selection_set) walk_selection_set(field.selection_set);
    for (auto* rule : rules_) rule->leave_field(field);
    type_info_.pop_type();
    type_info_.pop_field();
}

void Walker::walk_inline_fragment(const ast::Selection& fragment) {
    const Type* type = nullptr;
    if (!fragment.type_condition.empty()) {
        type = type_info_.schema().type(fragment.type_condition.value);
    } else if (const Type* current = type_info_.type()) {
        type = &current->named();
    }
    type_info_.push_type(type);
    for (auto* rule : rules_) rule->enter_inline_fragment(fragment);
    if (!fragment.type_condition.empty()) {
        for (auto* rule : rules_) rule->enter_named_type(fragment.type_condition);
    }
    walk_directives(fragment.directives, "INLINE_FRAGMENT");
    walk_selection_set(fragment.selection_set);
    type_info_.pop_type();
}

void Walker::walk_fragment_spread(const ast::Selection& spread) {
    for (auto* rule : rules_) rule->enter_fragment_spread(spread);
    walk_directives(spread.directives, "FRAGMENT_SPREAD");
}

void Walker::walk_directives(const std::vector<ast::Directive>& directives, std::string_view location) {
    for (auto* rule : rules_) rule->enter_directives(directives);
    for (const auto& directive : directives) {
        type_info_.set_directive(type_info_.schema().directive(directive.name.value));
        for (auto* rule : rules_) rule->enter_directive(directive, location);
        for (const auto& argument : directive.arguments) walk_argument(argument);
        for (auto* rule : rules_) rule->leave_directive(directive);
        type_info_.set_directive(nullptr);
    }
}

void Walker::walk_argument(const ast::Argument& argument) {
    const InputValue* definition = nullptr;
    if (const Directive* directive = type_info_.directive()) {
        definition = directive->argument(argument.name.value);
    } else if (const Field* field = type_info_.field_def()) {
        definition = field->argument(argument.name.value);
    }
    type_info_.set_argument(definition);
    type_info_.push_input(definition ? definition->type : nullptr, definition && definition->default_value);
    for (auto* rule : rules_) rule->enter_argument(argument);
    walk_value(argument.value);
    type_info_.set_argument(nullptr);
    type_info_.pop_input();
}

void Walker::walk_value(const ast::ValueNode& value) {
    if (value.kind == ast::ValueKind::List) {
        const Type* list_type = type_info_.input_type();
        if (list_type) list_type = &list_type->nullable();
        const Type* item_type = list_type && list_type->is_list() ? list_type->of_type : list_type;
        type_info_.push_input(item_type, false);
    }
    for (std::size_t i = 0; i < rules_.size(); ++i) {
        if (!skipping_[i] && !rules_[i]->enter_value(value)) skipping_[i] = &value;
    }
    if (value.kind == ast::ValueKind::List) {
        for (const auto& item : value.list) walk_value(item);
    } else if (value.kind == ast::ValueKind::Object) {
        for (const auto& field : value.fields) {
            const Type* input = type_info_.input_type();
            const Type* object_type = input ? &input->named() : nullptr;
            if (object_type && object_type->kind == TypeKind::InputObject) {
                const InputValue* definition = object_type->input_field(field.name.value);
                type_info_.push_input(definition ? definition->type : nullptr,
                                      definition && definition->default_value);
            }
            for (std::size_t i = 0; i < rules_.size(); ++i) {
                if (!skipping_[i]) rules_[i]->enter_object_field(field);
            }
            walk_value(field.value);
            type_info_.pop_input();
        }
    }
    for (std::size_t i = 0; i < rules_.size(); ++i) {
        if (skipping_[i] == &value) {
            skipping_[i] = nullptr;
        } else if (!skipping_[i]) {
            rules_[i]->leave_value(value);
        }
    }
    if (value.kind == ast::ValueKind::List) type_info_.pop_input();
}

}  // namespace orderstream::graphql::detail
