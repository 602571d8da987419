#include <map>

#include "orderstream/graphql/language/printer.hpp"
#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

struct FieldEntry {
    const Type* parent_type;
    const ast::Selection* node;
    const Field* definition;
};

// Response name → the fields selected under it, in document order.
using FieldMap = std::vector<std::pair<std::string_view, std::vector<FieldEntry>>>;

struct FieldsAndFragments {
    FieldMap fields;
    std::vector<std::string_view> fragment_names;
};

struct Conflict {
    std::string_view response_name;
    std::vector<ast::Loc> fields1;
    std::vector<ast::Loc> fields2;
};

// Prints a value with object fields sorted, so argument values compare regardless of field order.
std::string canonical(const ast::ValueNode& value) {
    if (value.kind == ast::ValueKind::Object) {
        std::vector<const ast::ObjectField*> fields;
        for (const auto& field : value.fields) fields.push_back(&field);
        std::stable_sort(fields.begin(), fields.end(),
                         [](const auto* a, const auto* b) { return a->name.value < b->name.value; });
        std::string out = "{";
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i) out += ", ";
            out += std::string(fields[i]->name.value) + ": " + canonical(fields[i]->value);
        }
        return out + "}";
    }
    if (value.kind == ast::ValueKind::List) {
        std::string out = "[";
        for (std::size_t i = 0; i < value.list.size(); ++i) {
            if (i) out += ", ";
            out += canonical(value.list[i]);
        }
        return out + "]";
    }
    return print(value);
}

bool same_arguments(const ast::Selection& a, const ast::Selection& b) {
    if (a.arguments.size() != b.arguments.size()) return false;
    for (const auto& argument : a.arguments) {
        const ast::Argument* other = nullptr;
        for (const auto& candidate : b.arguments) {
            if (candidate.name.value == argument.name.value) other = &candidate;
        }
        if (!other || canonical(argument.value) != canonical(other->value)) return false;
    }
    return true;
}

bool do_types_conflict(const Type& a, const Type& b) {
    if (a.is_list()) return b.is_list() ? do_types_conflict(*a.of_type, *b.of_type) : true;
    if (b.is_list()) return true;
    if (a.is_non_null()) return b.is_non_null() ? do_types_conflict(*a.of_type, *b.of_type) : true;
    if (b.is_non_null()) return true;
    if (a.is_leaf() || b.is_leaf()) return &a != &b;
    return false;
}

// Spec 5.3.2 (FieldsInSetCanMerge), ported from the reference's algorithm including its memoisation,
// which decides how many conflicts are reported.
class OverlappingFieldsCanBeMergedRule : public ValidationRule {
public:
    explicit OverlappingFieldsCanBeMergedRule(ValidationContext& context) : context_(context) {}

    void enter_selection_set(const ast::SelectionSet& selection_set) override {
        std::vector<Conflict> conflicts;
        const FieldsAndFragments& own = fields_and_fragments(context_.type_info().parent_type(), selection_set);
        collect_within(conflicts, own.fields);
        for (std::size_t i = 0; i < own.fragment_names.size(); ++i) {
            between_fields_and_fragment(conflicts, false, own.fields, own.fragment_names[i]);
            for (std::size_t j = i + 1; j < own.fragment_names.size(); ++j) {
                between_fragments(conflicts, false, own.fragment_names[i], own.fragment_names[j]);
            }
        }
        for (auto& conflict : conflicts) {
            std::vector<ast::Loc> nodes = conflict.fields1;
            nodes.insert(nodes.end(), conflict.fields2.begin(), conflict.fields2.end());
            context_.report("Fields \"" + std::string(conflict.response_name) +
                                "\" conflict. Use different aliases on the fields to fetch both if this was intentional.",
                            std::move(nodes));
        }
    }

private:
    const FieldsAndFragments& fields_and_fragments(const Type* parent_type, const ast::SelectionSet& selection_set) {
        auto found = cache_.find(&selection_set);
        if (found != cache_.end()) return found->second;
        FieldsAndFragments result;
        collect(parent_type, selection_set, result);
        return cache_.emplace(&selection_set, std::move(result)).first->second;
    }

    const FieldsAndFragments& referenced(const ast::FragmentDefinition& fragment) {
        auto found = cache_.find(&fragment.selection_set);
        if (found != cache_.end()) return found->second;
        return fields_and_fragments(context_.schema().type(fragment.type_condition.value), fragment.selection_set);
    }

    void collect(const Type* parent_type, const ast::SelectionSet& selection_set, FieldsAndFragments& out) {
        for (const auto& selection : selection_set.selections) {
            switch (selection.kind) {
                case ast::SelectionKind::Field: {
                    const Field* definition = nullptr;
                    if (parent_type && (parent_type->kind == TypeKind::Object || parent_type->kind == TypeKind::Interface)) {
                        definition = parent_type->field(selection.name.value);
                    }
                    const std::string_view key = selection.response_key();
                    auto entry = std::find_if(out.fields.begin(), out.fields.end(),
                                              [&](const auto& e) { return e.first == key; });
                    if (entry == out.fields.end()) {
                        out.fields.push_back({key, {}});
                        entry = std::prev(out.fields.end());
                    }
                    entry->second.push_back({parent_type, &selection, definition});
                    break;
                }
                case ast::SelectionKind::FragmentSpread:
                    if (std::find(out.fragment_names.begin(), out.fragment_names.end(), selection.name.value) ==
                        out.fragment_names.end()) {
                        out.fragment_names.push_back(selection.name.value);
                    }
                    break;
                case ast::SelectionKind::InlineFragment: {
                    const Type* type = selection.type_condition.empty()
                                           ? parent_type
                                           : context_.schema().type(selection.type_condition.value);
                    collect(type, selection.selection_set, out);
                    break;
                }
            }
        }
    }

    void between_fields_and_fragment(std::vector<Conflict>& conflicts, bool exclusive, const FieldMap& fields,
                                     std::string_view fragment_name) {
        auto& seen = compared_fields_fragments_[{&fields, fragment_name}];
        if (seen.has_value() && (exclusive || *seen == exclusive)) return;
        seen = exclusive;
        const ast::FragmentDefinition* fragment = context_.fragment(fragment_name);
        if (!fragment) return;
        const FieldsAndFragments& other = referenced(*fragment);
        if (&fields == &other.fields) return;
        collect_between(conflicts, exclusive, fields, other.fields);
        for (const auto& nested : other.fragment_names) between_fields_and_fragment(conflicts, exclusive, fields, nested);
    }

    void between_fragments(std::vector<Conflict>& conflicts, bool exclusive, std::string_view name1,
                           std::string_view name2) {
        if (name1 == name2) return;
        auto& seen = compared_fragments_[name1 < name2 ? std::make_pair(name1, name2) : std::make_pair(name2, name1)];
        if (seen.has_value() && (exclusive || *seen == exclusive)) return;
        seen = exclusive;
        const ast::FragmentDefinition* fragment1 = context_.fragment(name1);
        const ast::FragmentDefinition* fragment2 = context_.fragment(name2);
        if (!fragment1 || !fragment2) return;
        const FieldsAndFragments& first = referenced(*fragment1);
        const FieldsAndFragments& second = referenced(*fragment2);
        collect_between(conflicts, exclusive, first.fields, second.fields);
        for (const auto& nested : second.fragment_names) between_fragments(conflicts, exclusive, name1, nested);
        for (const auto& nested : first.fragment_names) between_fragments(conflicts, exclusive, nested, name2);
    }

    std::vector<Conflict> between_sub_selections(bool exclusive, const Type* type1, const ast::SelectionSet& set1,
                                                 const Type* type2, const ast::SelectionSet& set2) {
        std::vector<Conflict> conflicts;
        const FieldsAndFragments& first = fields_and_fragments(type1, set1);
        const FieldsAndFragments& second = fields_and_fragments(type2, set2);
        collect_between(conflicts, exclusive, first.fields, second.fields);
        for (const auto& name : second.fragment_names) between_fields_and_fragment(conflicts, exclusive, first.fields, name);
        for (const auto& name : first.fragment_names) between_fields_and_fragment(conflicts, exclusive, second.fields, name);
        for (const auto& name1 : first.fragment_names) {
            for (const auto& name2 : second.fragment_names) between_fragments(conflicts, exclusive, name1, name2);
        }
        return conflicts;
    }

    void collect_within(std::vector<Conflict>& conflicts, const FieldMap& fields) {
        for (const auto& [name, entries] : fields) {
            for (std::size_t i = 0; i < entries.size(); ++i) {
                for (std::size_t j = i + 1; j < entries.size(); ++j) {
                    if (auto conflict = find_conflict(false, name, entries[i], entries[j])) {
                        conflicts.push_back(std::move(*conflict));
                    }
                }
            }
        }
    }

    void collect_between(std::vector<Conflict>& conflicts, bool exclusive, const FieldMap& fields1,
                         const FieldMap& fields2) {
        for (const auto& entry : fields1) {
            const std::string_view name = entry.first;
            const auto& entries1 = entry.second;
            const auto other = std::find_if(fields2.begin(), fields2.end(), [&](const auto& e) { return e.first == name; });
            if (other == fields2.end()) continue;
            for (const auto& entry1 : entries1) {
                for (const auto& entry2 : other->second) {
                    if (auto conflict = find_conflict(exclusive, name, entry1, entry2)) {
                        conflicts.push_back(std::move(*conflict));
                    }
                }
            }
        }
    }

    std::optional<Conflict> find_conflict(bool parents_exclusive, std::string_view name, const FieldEntry& first,
                                          const FieldEntry& second) {
        const bool exclusive = parents_exclusive ||
                               (first.parent_type != second.parent_type && first.parent_type && second.parent_type &&
                                first.parent_type->kind == TypeKind::Object && second.parent_type->kind == TypeKind::Object);
        const ast::Selection& node1 = *first.node;
        const ast::Selection& node2 = *second.node;
        if (!exclusive && (node1.name.value != node2.name.value || !same_arguments(node1, node2))) {
            return Conflict{name, {node1.loc}, {node2.loc}};
        }
        const Type* type1 = first.definition ? first.definition->type : nullptr;
        const Type* type2 = second.definition ? second.definition->type : nullptr;
        if (type1 && type2 && do_types_conflict(*type1, *type2)) return Conflict{name, {node1.loc}, {node2.loc}};
        if (node1.has_selection_set && node2.has_selection_set) {
            auto nested = between_sub_selections(exclusive, type1 ? &type1->named() : nullptr, node1.selection_set,
                                                 type2 ? &type2->named() : nullptr, node2.selection_set);
            if (nested.empty()) return std::nullopt;
            Conflict conflict{name, {node1.loc}, {node2.loc}};
            for (const auto& inner : nested) {
                conflict.fields1.insert(conflict.fields1.end(), inner.fields1.begin(), inner.fields1.end());
                conflict.fields2.insert(conflict.fields2.end(), inner.fields2.begin(), inner.fields2.end());
            }
            return conflict;
        }
        return std::nullopt;
    }

    ValidationContext& context_;
    std::map<const ast::SelectionSet*, FieldsAndFragments> cache_;
    std::map<std::pair<const FieldMap*, std::string_view>, std::optional<bool>> compared_fields_fragments_;
    std::map<std::pair<std::string_view, std::string_view>, std::optional<bool>> compared_fragments_;
};

}  // namespace

RulePtr make_overlapping_fields_can_be_merged_rule(ValidationContext& context) {
    return std::make_unique<OverlappingFieldsCanBeMergedRule>(context);
}

}  // namespace orderstream::graphql::detail
