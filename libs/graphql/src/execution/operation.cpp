#include "operation.hpp"

namespace orderstream::graphql::detail {

const ast::OperationDefinition* select_operation(const ast::Document& document, const std::string& name,
                                                 FragmentIndex& fragments, std::vector<GraphQLError>& errors) {
    const ast::OperationDefinition* chosen = nullptr;
    std::size_t operations = 0;
    for (const auto& definition : document.definitions) {
        if (const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition)) {
            fragments.fragments.emplace_back(fragment->name.value, fragment);
        } else if (const auto* operation = std::get_if<ast::OperationDefinition>(&definition)) {
            ++operations;
            if (name.empty()) {
                if (!chosen) chosen = operation;
            } else if (operation->name.value == name) {
                chosen = operation;
            }
        }
    }
    if (!name.empty() && !chosen) {
        errors.push_back({"Unknown operation named \"" + name + "\".", {}, {}, {}});
        return nullptr;
    }
    if (name.empty() && operations > 1) {
        errors.push_back({"Must provide operation name if query contains multiple operations.", {}, {}, {}});
        return nullptr;
    }
    if (!chosen) errors.push_back({"Must provide an operation.", {}, {}, {}});
    return chosen;
}

const Type* root_type(const Schema& schema, ast::OperationType operation) {
    switch (operation) {
        case ast::OperationType::Query: return schema.query_type();
        case ast::OperationType::Mutation: return schema.mutation_type();
        case ast::OperationType::Subscription: return schema.subscription_type();
    }
    return nullptr;
}

GraphQLError missing_root_type_error(const ast::Document& document, const ast::OperationDefinition& operation) {
    return GraphQLError{"Schema is not configured to execute " +
                            std::string(ast::operation_type_name(operation.operation)) + " operation.",
                        {document.location_of(operation.loc)}, {}, {}};
}

}  // namespace orderstream::graphql::detail
