#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "graphql_http.hpp"
#include "orderstream/graphql/execution/execute.hpp"

// The graphql-ws protocol (sub-protocol `graphql-transport-ws`, as spoken by the npm graphql-ws
// client, Apollo Client, urql, Relay and GraphiQL): its messages as values, nothing about sockets.
namespace orderstream::gateway::graphql_ws {

inline constexpr std::string_view kSubprotocol = "graphql-transport-ws";

// The protocol's close codes.
inline constexpr int kInternalServerError = 4500;
inline constexpr int kBadRequest = 4400;
inline constexpr int kUnauthorized = 4401;
inline constexpr int kForbidden = 4403;
inline constexpr int kSubprotocolNotAcceptable = 4406;
inline constexpr int kConnectionInitialisationTimeout = 4408;
inline constexpr int kSubscriberAlreadyExists = 4409;
inline constexpr int kTooManyInitialisationRequests = 4429;

struct ConnectionInit {
    std::optional<graphql::Value> payload;  // an object when present
};
struct Ping {};
struct Pong {};
struct Subscribe {
    std::string id;
    GraphQLRequest request;
};
struct Complete {
    std::string id;
};
using ClientMessage = std::variant<ConnectionInit, Ping, Pong, Subscribe, Complete>;

// A message the protocol does not allow: the socket is closed with 4400 and this reason.
struct BadMessage {
    std::string reason;
};

// Operation ids longer than this are refused (the protocol sets no limit; a client needs few bytes).
inline constexpr std::size_t kMaxIdBytes = 128;

// Reads one text frame from a client. Server-to-client types, unknown types and malformed fields are
// BadMessage.
std::variant<ClientMessage, BadMessage> ParseClientMessage(std::string_view text);

// The bearer token a connection_init payload carries as {"authorization": "Bearer <token>"}, the key
// in any letter case. `present` is false without such a key; `malformed` for another value.
struct InitToken {
    bool present = false;
    bool malformed = false;
    std::string token;
};
InitToken TokenOfInitPayload(const std::optional<graphql::Value>& payload);

std::string ConnectionAckMessage();
std::string PingMessage();
std::string PongMessage();
std::string NextMessage(std::string_view id, const graphql::ExecutionResult& result);
std::string ErrorMessage(std::string_view id, const std::vector<graphql::GraphQLError>& errors);
std::string CompleteMessage(std::string_view id);

}  // namespace orderstream::gateway::graphql_ws
