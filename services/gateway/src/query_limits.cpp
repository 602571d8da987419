#include "query_limits.hpp"

#include <algorithm>
#include <map>

namespace orderstream::gateway {
namespace {

namespace ast = graphql::ast;

constexpr std::int64_t kDefaultListSize = 10;

class LimitWalker {
public:
    LimitWalker(const graphql::Schema& schema, const ast::Document& document, const graphql::Value& variables)
        : schema_(schema), variables_(variables) {
        for (const auto& definition : document.definitions) {
            if (const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition)) {
                fragments_[std::string(fragment->name.value)] = fragment;
            }
        }
    }

    // Cost of a selection set on `type`; tracks the deepest field nesting and the aliases.
    std::int64_t Cost(const ast::SelectionSet& set, const graphql::Type* type, int depth) {
        if (depth > max_depth_seen_) max_depth_seen_ = depth;
        if (depth > 64) return 0;  // far past any limit; stop descending
        std::int64_t cost = 0;
        for (const auto& selection : set.selections) {
            switch (selection.kind) {
                case ast::SelectionKind::Field: cost = Saturate(cost + FieldCost(selection, type, depth)); break;
                case ast::SelectionKind::InlineFragment: {
                    const auto* narrowed = selection.type_condition.empty()
                                               ? type
                                               : schema_.type(selection.type_condition.value);
                    cost = Saturate(cost + Cost(selection.selection_set, narrowed, depth));
                    break;
                }
                case ast::SelectionKind::FragmentSpread: {
                    auto it = fragments_.find(std::string(selection.name.value));
                    if (it == fragments_.end() || expanding_ > 32) break;
                    ++expanding_;
                    cost = Saturate(cost + Cost(it->second->selection_set,
                                                schema_.type(it->second->type_condition.value), depth));
                    --expanding_;
                    break;
                }
            }
        }
        return cost;
    }

    int max_depth() const { return max_depth_seen_; }
    int aliases() const { return aliases_; }

private:
    static std::int64_t Saturate(std::int64_t v) { return std::min<std::int64_t>(v, 1'000'000'000); }

    std::int64_t FieldCost(const ast::Selection& field, const graphql::Type* parent, int depth) {
        if (!field.alias.empty()) ++aliases_;
        // Introspection is bounded by the schema itself (and can be switched off as a whole).
        if (field.name.value.substr(0, 2) == "__") return 1;
        const graphql::Field* definition = parent == nullptr ? nullptr : parent->field(field.name.value);
        if (!field.has_selection_set || definition == nullptr) return 1;
        std::int64_t children = Cost(field.selection_set, &definition->type->named(), depth + 1);
        return Saturate(1 + children * ListFactor(field, *definition->type));
    }

    // How many items a list field may return: its pagination.take, else a default.
    std::int64_t ListFactor(const ast::Selection& field, const graphql::Type& type) {
        const auto* unwrapped = &type.nullable();
        if (!unwrapped->is_list()) return 1;
        for (const auto& argument : field.arguments) {
            if (argument.name.value != "pagination") continue;
            auto take = TakeOf(argument.value);
            if (take) return std::max<std::int64_t>(1, std::min<std::int64_t>(*take, 1000));
        }
        return kDefaultListSize;
    }

    std::optional<std::int64_t> TakeOf(const ast::ValueNode& value) {
        if (value.kind == ast::ValueKind::Variable) {
            const auto* bound = variables_.find(value.text);
            const auto* take = bound == nullptr ? nullptr : bound->find("take");
            if (take != nullptr && take->is_int()) return take->as_int();
            return std::nullopt;
        }
        if (value.kind != ast::ValueKind::Object) return std::nullopt;
        for (const auto& member : value.fields) {
            if (member.name.value != "take") continue;
            if (member.value.kind == ast::ValueKind::Int) return std::stoll(std::string(member.value.text));
            if (member.value.kind == ast::ValueKind::Variable) {
                const auto* bound = variables_.find(member.value.text);
                if (bound != nullptr && bound->is_int()) return bound->as_int();
            }
        }
        return std::nullopt;
    }

    const graphql::Schema& schema_;
    const graphql::Value& variables_;
    std::map<std::string, const ast::FragmentDefinition*> fragments_;
    int max_depth_seen_ = 0;
    int aliases_ = 0;
    int expanding_ = 0;
};

}  // namespace

std::optional<std::string> CheckLimits(const graphql::Schema& schema, const ast::Document& document,
                                       const ast::OperationDefinition& operation, const graphql::Value& variables,
                                       const QueryLimits& limits) {
    const graphql::Type* root = operation.operation == ast::OperationType::Mutation ? schema.mutation_type()
                                                                                     : schema.query_type();
    LimitWalker walker(schema, document, variables);
    auto cost = walker.Cost(operation.selection_set, root, 1);
    if (walker.max_depth() > limits.max_depth) {
        return "query is nested " + std::to_string(walker.max_depth()) + " levels deep; the limit is " +
               std::to_string(limits.max_depth);
    }
    if (walker.aliases() > limits.max_aliases) {
        return "query uses " + std::to_string(walker.aliases()) + " aliases; the limit is " +
               std::to_string(limits.max_aliases);
    }
    if (cost > limits.max_cost) {
        return "query costs " + std::to_string(cost) + "; the limit is " + std::to_string(limits.max_cost);
    }
    return std::nullopt;
}

}  // namespace orderstream::gateway
