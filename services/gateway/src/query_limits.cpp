#include "query_limits.hpp"

#include <algorithm>
#include <map>

#include "introspection_cost.hpp"
#include "orderstream/core/paging.hpp"

namespace orderstream::gateway {
namespace {

namespace ast = graphql::ast;

using Fragments = std::map<std::string_view, const ast::FragmentDefinition*>;

Fragments FragmentsOf(const ast::Document& document) {
    Fragments fragments;
    for (const auto& definition : document.definitions) {
        if (const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition)) {
            fragments.emplace(fragment->name.value, fragment);
        }
    }
    return fragments;
}

// Depth (nested selection sets) and aliases of the document as the executor sees it, with
// fragments expanded; each fragment is measured once.
class ShapeWalker {
public:
    struct Shape {
        std::int64_t depth = 0;
        std::int64_t aliases = 0;
    };

    explicit ShapeWalker(const Fragments& fragments) : fragments_(fragments) {}

    Shape Set(const ast::SelectionSet& set) {
        Shape shape{1, 0};
        for (const auto& selection : set.selections) {
            switch (selection.kind) {
                case ast::SelectionKind::Field: {
                    if (!selection.alias.empty()) shape.aliases = Saturate(shape.aliases + 1);
                    if (!selection.has_selection_set) break;
                    auto below = Set(selection.selection_set);
                    // Introspection's nesting is bounded by validation (MaxIntrospectionDepth)
                    // and by its cost; the depth limit is for data. GraphiQL's TypeRef alone
                    // nests 9 levels.
                    if (selection.name.value == "__schema" || selection.name.value == "__type") below.depth = 0;
                    Merge(shape, below, 1);
                    break;
                }
                case ast::SelectionKind::InlineFragment: Merge(shape, Set(selection.selection_set), 0); break;
                case ast::SelectionKind::FragmentSpread: Merge(shape, Fragment(selection.name.value), 0); break;
            }
        }
        return shape;
    }

private:
    static std::int64_t Saturate(std::int64_t v) { return std::min<std::int64_t>(v, 1'000'000'000'000); }

    static void Merge(Shape& into, const Shape& part, std::int64_t levels_below) {
        into.depth = std::max(into.depth, std::min<std::int64_t>(part.depth + levels_below, 1'000'000));
        into.aliases = Saturate(into.aliases + part.aliases);
    }

    Shape Fragment(std::string_view name) {
        if (auto it = memo_.find(name); it != memo_.end()) return it->second;
        auto definition = fragments_.find(name);
        if (definition == fragments_.end()) return {};
        memo_[name] = {};  // a cycle (refused by validation) adds nothing
        auto shape = Set(definition->second->selection_set);
        memo_[name] = shape;
        return shape;
    }

    const Fragments& fragments_;
    std::map<std::string_view, Shape> memo_;
};

// The cost of the operation; each fragment costed once (its type condition fixes the type it
// is costed on). Once a partial cost passes the limit the walk returns limit + 1 at once.
class CostWalker {
public:
    CostWalker(const graphql::Schema& schema, const ast::Document& document, const Fragments& fragments,
               const graphql::Value& variables, const QueryLimits& limits)
        : schema_(schema),
          fragments_(fragments),
          variables_(variables),
          limits_(limits),
          introspection_(schema, document, variables, limits.max_cost) {}

    std::int64_t Set(const ast::SelectionSet& set, const graphql::Type* type) {
        std::int64_t cost = 0;
        for (const auto& selection : set.selections) {
            switch (selection.kind) {
                case ast::SelectionKind::Field: cost = Add(cost, FieldCost(selection, type)); break;
                case ast::SelectionKind::InlineFragment: {
                    const auto* narrowed =
                        selection.type_condition.empty() ? type : schema_.type(selection.type_condition.value);
                    cost = Add(cost, Set(selection.selection_set, narrowed));
                    break;
                }
                case ast::SelectionKind::FragmentSpread: cost = Add(cost, Fragment(selection.name.value)); break;
            }
            if (cost > limits_.max_cost) break;
        }
        return cost;
    }

private:
    std::int64_t Add(std::int64_t a, std::int64_t b) const { return std::min(a + b, limits_.max_cost + 1); }
    std::int64_t Multiply(std::int64_t a, std::int64_t b) const {
        return a > (limits_.max_cost + 1) / std::max<std::int64_t>(b, 1) ? limits_.max_cost + 1 : a * b;
    }

    std::int64_t Fragment(std::string_view name) {
        if (auto it = memo_.find(name); it != memo_.end()) return it->second;
        auto definition = fragments_.find(name);
        if (definition == fragments_.end()) return 0;
        memo_[name] = 0;
        auto cost = Set(definition->second->selection_set, schema_.type(definition->second->type_condition.value));
        memo_[name] = cost;
        return cost;
    }

    std::int64_t FieldCost(const ast::Selection& field, const graphql::Type* parent) {
        auto name = field.name.value;
        if (name == "__typename") return 0;
        if (name == "__schema") return Add(1, introspection_.OfSchema(field.selection_set));
        if (name == "__type") return Add(1, introspection_.OfType(field));
        const graphql::Field* definition = parent == nullptr ? nullptr : parent->field(name);
        if (!field.has_selection_set || definition == nullptr) return 1;
        auto below = Set(field.selection_set, &definition->type->named());
        return Add(1, Multiply(below, ListFactor(field, *parent, *definition)));
    }

    // How many items a list field may return.
    std::int64_t ListFactor(const ast::Selection& field, const graphql::Type& parent, const graphql::Field& definition) {
        if (!definition.type->nullable().is_list()) return 1;
        for (const auto& single : limits_.single_item_fields) {
            if (single.type != parent.name || single.field != definition.name) continue;
            for (const auto& argument : field.arguments) {
                if (argument.name.value == single.argument && IsGiven(argument.value)) return 1;
            }
        }
        for (const auto& argument : field.arguments) {
            if (argument.name.value != "pagination") continue;
            if (auto take = TakeOf(argument.value)) {
                return static_cast<std::int64_t>(paging::Take(static_cast<std::uint64_t>(std::max<std::int64_t>(*take, 0))));
            }
        }
        return static_cast<std::int64_t>(paging::kDefaultTake);
    }

    bool IsGiven(const ast::ValueNode& value) const {
        if (value.kind == ast::ValueKind::Null) return false;
        if (value.kind != ast::ValueKind::Variable) return true;
        const auto* bound = variables_.find(value.text);
        return bound != nullptr && !bound->is_null();
    }

    std::optional<std::int64_t> TakeOf(const ast::ValueNode& value) const {
        if (value.kind == ast::ValueKind::Variable) {
            const auto* bound = variables_.find(value.text);
            const auto* take = bound == nullptr ? nullptr : bound->find("take");
            if (take != nullptr && take->is_int()) return take->as_int();
            return std::nullopt;
        }
        if (value.kind != ast::ValueKind::Object) return std::nullopt;
        for (const auto& member : value.fields) {
            if (member.name.value != "take") continue;
            if (member.value.kind == ast::ValueKind::Int) {
                // Validation admits only 32-bit Int literals.
                return std::stoll(std::string(member.value.text));
            }
            if (member.value.kind == ast::ValueKind::Variable) {
                const auto* bound = variables_.find(member.value.text);
                if (bound != nullptr && bound->is_int()) return bound->as_int();
            }
        }
        return std::nullopt;
    }

    const graphql::Schema& schema_;
    const Fragments& fragments_;
    const graphql::Value& variables_;
    const QueryLimits& limits_;
    IntrospectionCost introspection_;
    std::map<std::string_view, std::int64_t> memo_;
};

}  // namespace

std::int64_t QueryCost(const graphql::Schema& schema, const ast::Document& document,
                       const ast::OperationDefinition& operation, const graphql::Value& variables,
                       const QueryLimits& limits) {
    const graphql::Type* root = operation.operation == ast::OperationType::Mutation       ? schema.mutation_type()
                                : operation.operation == ast::OperationType::Subscription ? schema.subscription_type()
                                                                                          : schema.query_type();
    return CostWalker(schema, document, FragmentsOf(document), variables, limits).Set(operation.selection_set, root);
}

std::optional<std::string> CheckLimits(const graphql::Schema& schema, const ast::Document& document,
                                       const ast::OperationDefinition& operation, const graphql::Value& variables,
                                       const QueryLimits& limits) {
    auto fragments = FragmentsOf(document);
    auto shape = ShapeWalker(fragments).Set(operation.selection_set);
    if (shape.depth > limits.max_depth) {
        return "query is nested " + std::to_string(shape.depth) + " levels deep; the limit is " +
               std::to_string(limits.max_depth);
    }
    if (shape.aliases > limits.max_aliases) {
        return "query uses " + std::to_string(shape.aliases) + " aliases; the limit is " +
               std::to_string(limits.max_aliases);
    }
    if (QueryCost(schema, document, operation, variables, limits) > limits.max_cost) {
        return "query costs more than " + std::to_string(limits.max_cost) + ", the limit";
    }
    return std::nullopt;
}

}  // namespace orderstream::gateway
