#include "graphql_ws_protocol.hpp"

#include <algorithm>
#include <cctype>

namespace orderstream::gateway::graphql_ws {
namespace {

using graphql::Value;
using graphql::ValueObject;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// An optional payload: absent or null is none; anything but an object is a bad message.
bool ReadPayload(const Value& message, std::optional<Value>& payload) {
    const Value* member = message.find("payload");
    if (member == nullptr || member->is_null()) return true;
    if (!member->is_object()) return false;
    payload = *member;
    return true;
}

std::variant<std::string, BadMessage> ReadId(const Value& message) {
    const Value* id = message.find("id");
    if (id == nullptr || !id->is_string() || id->as_string().empty()) {
        return BadMessage{"\"id\" must be a non-empty string"};
    }
    if (id->as_string().size() > kMaxIdBytes) return BadMessage{"\"id\" is longer than 128 bytes"};
    return id->as_string();
}

void WriteString(std::string_view text, std::string& out) { graphql::write_json(Value(text), out); }

std::string WithId(std::string_view type, std::string_view id) {
    std::string out = "{\"id\":";
    WriteString(id, out);
    out += ",\"type\":\"";
    out += type;
    out += '"';
    return out;
}

}  // namespace

std::variant<ClientMessage, BadMessage> ParseClientMessage(std::string_view text) {
    Value message;
    std::string error;
    if (!graphql::parse_json(text, message, error)) return BadMessage{"the message is not JSON"};
    if (!message.is_object()) return BadMessage{"the message is not a JSON object"};
    const Value* type = message.find("type");
    if (type == nullptr || !type->is_string()) return BadMessage{"the message has no \"type\""};
    const std::string& kind = type->as_string();

    if (kind == "connection_init" || kind == "ping" || kind == "pong") {
        std::optional<Value> payload;
        if (!ReadPayload(message, payload)) return BadMessage{"\"payload\" must be an object"};
        if (kind == "ping") return ClientMessage(Ping{});
        if (kind == "pong") return ClientMessage(Pong{});
        return ClientMessage(ConnectionInit{std::move(payload)});
    }
    if (kind == "subscribe") {
        auto id = ReadId(message);
        if (auto* bad = std::get_if<BadMessage>(&id)) return *bad;
        const Value* payload = message.find("payload");
        if (payload == nullptr || !payload->is_object()) return BadMessage{"subscribe needs a \"payload\" object"};
        auto request = ReadGraphQLParameters(payload->find("query"), payload->find("operationName"),
                                             payload->find("variables"), payload->find("extensions"), false);
        if (auto* rejection = std::get_if<RequestRejection>(&request)) return BadMessage{rejection->message};
        return ClientMessage(Subscribe{std::get<std::string>(std::move(id)), std::get<GraphQLRequest>(std::move(request))});
    }
    if (kind == "complete") {
        auto id = ReadId(message);
        if (auto* bad = std::get_if<BadMessage>(&id)) return *bad;
        return ClientMessage(Complete{std::get<std::string>(std::move(id))});
    }
    return BadMessage{"unknown message type"};
}

InitToken TokenOfInitPayload(const std::optional<graphql::Value>& payload) {
    InitToken token;
    if (!payload) return token;
    for (const auto& [key, value] : payload->as_object()) {
        if (!EqualsIgnoreCase(key, "authorization")) continue;
        token.present = true;
        constexpr std::string_view kBearer = "Bearer ";
        if (!value.is_string() || value.as_string().size() <= kBearer.size() ||
            !EqualsIgnoreCase(std::string_view(value.as_string()).substr(0, kBearer.size()), kBearer)) {
            token.malformed = true;
            return token;
        }
        token.token = value.as_string().substr(kBearer.size());
        return token;
    }
    return token;
}

std::string ConnectionAckMessage() { return R"({"type":"connection_ack"})"; }
std::string PingMessage() { return R"({"type":"ping"})"; }
std::string PongMessage() { return R"({"type":"pong"})"; }

std::string NextMessage(std::string_view id, const graphql::ExecutionResult& result) {
    std::string out = WithId("next", id);
    out += ",\"payload\":";
    out += result.to_json();
    out += '}';
    return out;
}

std::string ErrorMessage(std::string_view id, const std::vector<graphql::GraphQLError>& errors) {
    std::string out = WithId("error", id);
    out += ",\"payload\":[";
    for (std::size_t i = 0; i < errors.size(); ++i) {
        if (i) out += ',';
        graphql::write_json(graphql::error_to_value(errors[i]), out);
    }
    out += "]}";
    return out;
}

std::string CompleteMessage(std::string_view id) { return WithId("complete", id) + '}'; }

}  // namespace orderstream::gateway::graphql_ws
