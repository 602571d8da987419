#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "orderstream/graphql/graphql.hpp"

namespace orderstream::graphql::testing {

inline std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

inline std::string seed_path(const std::string& name) { return std::string(ORDERSTREAM_GRAPHQL_SEED_DIR) + "/" + name; }

inline std::shared_ptr<Schema> build(const std::string& sdl) {
    auto result = Schema::from_sdl(sdl);
    EXPECT_TRUE(result.schema) << (result.errors.empty() ? "" : result.errors.front().message);
    return result.schema;
}

// Parses and executes without validation (the executor's own behaviour is under test).
inline ExecutionResult run(const std::shared_ptr<Schema>& schema, const std::string& query,
                           Value variables = Value(ValueObject{}), Value root = Value()) {
    auto parsed = parse(query);
    EXPECT_TRUE(parsed) << (parsed.error ? parsed.error->message : "");
    ExecutionRequest request;
    request.schema = schema;
    request.document = parsed.document;
    request.variables = std::move(variables);
    request.root_value = std::move(root);
    return execute(std::move(request));
}

inline Value json(const std::string& text) {
    Value value;
    std::string error;
    EXPECT_TRUE(parse_json(text, value, error)) << error;
    return value;
}

}  // namespace orderstream::graphql::testing
