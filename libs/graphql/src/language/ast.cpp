#include "orderstream/graphql/language/ast.hpp"

namespace orderstream::graphql::ast {

std::string_view operation_type_name(OperationType type) {
    switch (type) {
        case OperationType::Query: return "query";
        case OperationType::Mutation: return "mutation";
        case OperationType::Subscription: return "subscription";
    }
    return "query";
}

const OperationDefinition* find_operation(const Document& document, std::string_view name) {
    const OperationDefinition* found = nullptr;
    for (const auto& definition : document.definitions) {
        const auto* operation = std::get_if<OperationDefinition>(&definition);
        if (!operation) continue;
        if (name.empty()) {
            if (found) return nullptr;  // ambiguous without a name
            found = operation;
        } else if (operation->name.value == name) {
            return operation;
        }
    }
    return found;
}

}  // namespace orderstream::graphql::ast
