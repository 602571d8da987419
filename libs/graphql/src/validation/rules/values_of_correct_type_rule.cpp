#include <map>

#include "orderstream/graphql/language/printer.hpp"
#include "rules.hpp"
#include "type/scalars.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.6.1: literal values are valid for the input type expected where they appear.
class ValuesOfCorrectTypeRule : public ValidationRule {
public:
    explicit ValuesOfCorrectTypeRule(ValidationContext& context) : context_(context) {}

    void enter_operation(const ast::OperationDefinition&) override { variables_.clear(); }
    void enter_variable_definition(const ast::VariableDefinition& definition) override {
        variables_[definition.variable.value] = &definition;
    }

    bool enter_value(const ast::ValueNode& value) override {
        const TypeInfo& info = context_.type_info();
        switch (value.kind) {
            case ast::ValueKind::List: {
                const Type* type = info.parent_input_type();
                if (!type || !type->nullable().is_list()) {
                    check_leaf(value);
                    return false;
                }
                return true;
            }
            case ast::ValueKind::Object: return check_object(value);
            case ast::ValueKind::Null: {
                const Type* type = info.input_type();
                if (type && type->is_non_null()) {
                    context_.report("Expected value of type \"" + type->to_string() + "\", found null.", {value.loc});
                }
                return true;
            }
            case ast::ValueKind::Variable: return true;
            default: check_leaf(value); return true;
        }
    }

    void enter_object_field(const ast::ObjectField& field) override {
        const TypeInfo& info = context_.type_info();
        const Type* parent = info.parent_input_type();
        if (!info.input_type() && parent && parent->named().kind == TypeKind::InputObject) {
            context_.report("Field \"" + std::string(field.name.value) + "\" is not defined by type \"" +
                                parent->named().name + "\".",
                            {field.loc});
        }
    }

private:
    bool check_object(const ast::ValueNode& value) {
        const Type* input = context_.type_info().input_type();
        const Type* type = input ? &input->named() : nullptr;
        if (!type || type->kind != TypeKind::InputObject) {
            check_leaf(value);
            return false;
        }
        const auto provided = [&](std::string_view name) -> const ast::ObjectField* {
            const ast::ObjectField* found = nullptr;
            for (const auto& field : value.fields) {
                if (field.name.value == name) found = &field;  // the last one wins, like keyMap
            }
            return found;
        };
        for (const auto& field : type->input_fields) {
            if (!provided(field.name) && field.type->is_non_null() && !field.default_value) {
                context_.report("Field \"" + type->name + "." + field.name + "\" of required type \"" +
                                    field.type->to_string() + "\" was not provided.",
                                {value.loc});
            }
        }
        if (type->is_one_of) check_one_of(value, *type);
        return true;
    }

    void check_one_of(const ast::ValueNode& value, const Type& type) {
        std::vector<std::string_view> keys;
        for (const auto& field : value.fields) {
            if (std::find(keys.begin(), keys.end(), field.name.value) == keys.end()) keys.push_back(field.name.value);
        }
        if (keys.size() != 1) {
            context_.report("OneOf Input Object \"" + type.name + "\" must specify exactly one key.", {value.loc});
            return;
        }
        const ast::ValueNode* field_value = nullptr;
        for (const auto& field : value.fields) field_value = &field.value;
        if (!field_value || field_value->kind == ast::ValueKind::Null) {
            context_.report("Field \"" + type.name + "." + std::string(keys[0]) + "\" must be non-null.", {value.loc});
            return;
        }
        if (field_value->kind == ast::ValueKind::Variable) {
            const auto definition = variables_.find(field_value->text);
            if (definition != variables_.end() && definition->second->type.kind != ast::TypeNode::Kind::NonNull) {
                context_.report("Variable \"" + std::string(field_value->text) +
                                    "\" must be non-nullable to be used for OneOf Input Object \"" + type.name + "\".",
                                {value.loc});
            }
        }
    }

    // The reference's isValidValueNode: leaf literals are checked by the type's literal parser.
    void check_leaf(const ast::ValueNode& value) {
        const Type* location = context_.type_info().input_type();
        if (!location) return;
        const Type& type = location->named();
        if (!type.is_leaf()) {
            context_.report("Expected value of type \"" + location->to_string() + "\", found " + print(value) + ".",
                            {value.loc});
            return;
        }
        Value parsed;
        std::string error;
        if (!parse_leaf_literal(type, value, parsed, error)) {
            context_.report("Expected value of type \"" + location->to_string() + "\", found " + print(value) + "; " +
                                error,
                            {value.loc});
        }
    }

    ValidationContext& context_;
    std::map<std::string_view, const ast::VariableDefinition*> variables_;
};

}  // namespace

RulePtr make_values_of_correct_type_rule(ValidationContext& context) {
    return std::make_unique<ValuesOfCorrectTypeRule>(context);
}

}  // namespace orderstream::graphql::detail
