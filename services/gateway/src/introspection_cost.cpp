#include "introspection_cost.hpp"

namespace orderstream::gateway {
namespace {

namespace ast = graphql::ast;

const char* TypeName(std::uint8_t kind) {
    static const char* const kNames[] = {"__Schema", "__Type", "__Field", "__InputValue", "__EnumValue",
                                         "__Directive"};
    return kNames[kind];
}

}  // namespace

IntrospectionCost::IntrospectionCost(const graphql::Schema& schema, const ast::Document& document,
                                     const graphql::Value& variables, std::int64_t budget)
    : schema_(schema), variables_(variables), budget_(budget) {
    for (const auto& definition : document.definitions) {
        if (const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition)) {
            fragments_.emplace(fragment->name.value, fragment);
        }
    }
}

std::int64_t IntrospectionCost::Add(std::int64_t a, std::int64_t b) {
    auto sum = a + b;
    return sum > budget_ ? budget_ + 1 : sum;
}

std::int64_t IntrospectionCost::OfSchema(const ast::SelectionSet& set) { return Set(set, {Kind::Schema, &schema_}); }

std::int64_t IntrospectionCost::OfType(const ast::Selection& type_field) {
    std::string name;
    for (const auto& argument : type_field.arguments) {
        if (argument.name.value != "name") continue;
        if (argument.value.kind == ast::ValueKind::String) name = argument.value.string;
        if (argument.value.kind == ast::ValueKind::Variable) {
            const auto* bound = variables_.find(argument.value.text);
            if (bound != nullptr && bound->is_string()) name = bound->as_string();
        }
    }
    const auto* type = schema_.type(name);
    if (type == nullptr) return 0;  // null: the field alone
    return Set(type_field.selection_set, {Kind::Type, type});
}

std::int64_t IntrospectionCost::Set(const ast::SelectionSet& set, Element element) {
    auto key = std::make_tuple(&set, element.kind, element.pointer);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
    memo_[key] = 0;  // a cycle (refused by validation) counts nothing more
    std::int64_t cost = 0;
    std::string_view own_type = TypeName(static_cast<std::uint8_t>(element.kind));
    for (const auto& selection : set.selections) {
        if (cost > budget_) break;
        switch (selection.kind) {
            case ast::SelectionKind::Field: cost = Add(cost, FieldCost(selection, element)); break;
            case ast::SelectionKind::InlineFragment:
                if (selection.type_condition.empty() || selection.type_condition.value == own_type) {
                    cost = Add(cost, Set(selection.selection_set, element));
                }
                break;
            case ast::SelectionKind::FragmentSpread: {
                auto it = fragments_.find(selection.name.value);
                if (it != fragments_.end() && it->second->type_condition.value == own_type) {
                    cost = Add(cost, Set(it->second->selection_set, element));
                }
                break;
            }
        }
    }
    memo_[key] = cost;
    return cost;
}

template <typename Range>
std::int64_t IntrospectionCost::Each(const ast::SelectionSet& set, Kind kind, const Range& range) {
    std::int64_t cost = 0;
    for (const auto& item : range) {
        if constexpr (std::is_pointer_v<std::decay_t<decltype(item)>>) {
            cost = Add(cost, Set(set, {kind, item}));
        } else {
            cost = Add(cost, Set(set, {kind, &item}));
        }
        if (cost > budget_) break;
    }
    return cost;
}

std::int64_t IntrospectionCost::FieldCost(const ast::Selection& field, Element element) {
    auto name = field.name.value;
    if (name == "__typename") return 0;
    if (!field.has_selection_set) return 1;  // a scalar, an enum or a list of them
    const auto& set = field.selection_set;
    auto one = [&](Kind kind, const void* pointer) -> std::int64_t {
        return pointer == nullptr ? 1 : Add(1, Set(set, {kind, pointer}));
    };
    switch (element.kind) {
        case Kind::Schema:
            if (name == "types") return Add(1, Each(set, Kind::Type, schema_.types()));
            if (name == "queryType") return one(Kind::Type, schema_.query_type());
            if (name == "mutationType") return one(Kind::Type, schema_.mutation_type());
            if (name == "subscriptionType") return one(Kind::Type, schema_.subscription_type());
            if (name == "directives") return Add(1, Each(set, Kind::Directive, schema_.directives()));
            return 1;
        case Kind::Type: {
            const auto* type = static_cast<const graphql::Type*>(element.pointer);
            bool has_fields = type->kind == graphql::TypeKind::Object || type->kind == graphql::TypeKind::Interface;
            if (name == "fields") return has_fields ? Add(1, Each(set, Kind::Field, type->fields)) : 1;
            if (name == "interfaces") return has_fields ? Add(1, Each(set, Kind::Type, type->interfaces)) : 1;
            if (name == "possibleTypes") return type->is_abstract() ? Add(1, Each(set, Kind::Type, type->possible_types)) : 1;
            if (name == "enumValues") return Add(1, Each(set, Kind::EnumValue, type->enum_values));
            if (name == "inputFields") return Add(1, Each(set, Kind::InputValue, type->input_fields));
            if (name == "ofType") return one(Kind::Type, type->of_type);
            return 1;
        }
        case Kind::Field: {
            const auto* definition = static_cast<const graphql::Field*>(element.pointer);
            if (name == "args") return Add(1, Each(set, Kind::InputValue, definition->arguments));
            if (name == "type") return one(Kind::Type, definition->type);
            return 1;
        }
        case Kind::InputValue:
            if (name == "type") return one(Kind::Type, static_cast<const graphql::InputValue*>(element.pointer)->type);
            return 1;
        case Kind::Directive:
            if (name == "args") {
                return Add(1, Each(set, Kind::InputValue,
                                   static_cast<const graphql::Directive*>(element.pointer)->arguments));
            }
            return 1;
        case Kind::EnumValue: return 1;
    }
    return 1;
}

}  // namespace orderstream::gateway
