#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "orderstream/graphql/value.hpp"
#include "orderstream/http/server.hpp"

namespace orderstream::gateway {

// GraphQL over HTTP (the GraphQL-over-HTTP specification): what a request asks for.
struct GraphQLRequest {
    std::string query;
    std::string operation_name;
    graphql::Value variables = graphql::Value(graphql::ValueObject{});
    bool is_get = false;
};

// A request that cannot be a GraphQL request: answered with this status and message.
struct RequestRejection {
    int status = 400;
    std::string message;
    http::Headers headers;
};

enum class ResponseMediaType { kGraphQLResponseJson, kJson };

inline constexpr const char* kGraphQLResponseJson = "application/graphql-response+json";

// The media type to answer with, from the Accept header: application/graphql-response+json
// when acceptable, else application/json (also when Accept is absent); nullopt (406) when
// the client accepts neither.
std::optional<ResponseMediaType> NegotiateMediaType(std::string_view accept);

// The GraphQL parameters, whatever transport carried them (null: absent; JSON null counts as absent).
std::variant<GraphQLRequest, RequestRejection> ReadGraphQLParameters(const graphql::Value* query,
                                                                     const graphql::Value* operation_name,
                                                                     const graphql::Value* variables,
                                                                     const graphql::Value* extensions, bool is_get);

// Reads query, operationName and variables from a GET query string or a POST JSON body.
std::variant<GraphQLRequest, RequestRejection> ParseGraphQLRequest(const http::Request& request);

// Percent-decoding of one application/x-www-form-urlencoded component ('+' is a space);
// nullopt on a malformed escape.
std::optional<std::string> DecodeQueryComponent(std::string_view text);

}  // namespace orderstream::gateway
