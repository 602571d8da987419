#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "orderstream/graphql/error/graphql_error.hpp"
#include "orderstream/graphql/language/ast.hpp"
#include "orderstream/graphql/type/schema.hpp"

namespace orderstream::graphql {

struct ExecutionRequest {
    std::shared_ptr<const Schema> schema;
    std::shared_ptr<const ast::Document> document;  // already validated
    std::string operation_name;                     // empty: the document's only operation
    Value variables = Value(ValueObject{});         // JSON object of raw variable values
    Value root_value;                               // parent value of the root fields
    void* context = nullptr;                        // handed to every resolver as ResolveInfo::context
};

// The spec's response (section 7.1): `data` is absent when execution never started.
struct ExecutionResult {
    std::optional<Value> data;
    std::vector<GraphQLError> errors;

    Value to_value() const;
    // `{"data":...,"errors":[...]}` with `data` first, as the spec recommends.
    std::string to_json() const;
};

// Executes the operation; `done` runs exactly once, on the thread that completed the last resolver
// (the caller's thread when every resolver answered synchronously).
void execute_async(ExecutionRequest request, std::function<void(ExecutionResult)> done);

// Executes and waits for deferred resolvers to finish.
ExecutionResult execute(ExecutionRequest request);

}  // namespace orderstream::graphql
