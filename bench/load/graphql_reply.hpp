#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "keep_alive_connection.hpp"

namespace orderstream::bench {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// {"query": document, "variables": {...}}; `variables` writes the members of the variables object.
template <typename WriteVariables>
std::string GraphqlBody(std::string_view document, WriteVariables&& variables) {
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    writer.StartObject();
    writer.Key("query");
    writer.String(document.data(), static_cast<rapidjson::SizeType>(document.size()));
    writer.Key("variables");
    writer.StartObject();
    variables(writer);
    writer.EndObject();
    writer.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

inline void WriteString(JsonWriter& writer, std::string_view key, std::string_view value) {
    writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

// One GraphQL response, checked the way a shop front end relies on it: HTTP 200, a JSON object,
// no "errors" member, and data.<field> present and not null. A failure has a kind (what to
// count it under: "transport", "http 503", "json", "graphql UNAVAILABLE", "shape") and a message.
class GraphqlReply {
public:
    static GraphqlReply From(const KeepAliveConnection::Outcome& outcome, std::string_view field) {
        GraphqlReply reply;
        if (!outcome.reply) return reply.Failed("transport", outcome.error);
        const auto& http = *outcome.reply;
        if (http.status != 200) {
            return reply.Failed("http " + std::to_string(http.status), Excerpt(http.body));
        }
        reply.document_->Parse(http.body.data(), http.body.size());
        if (reply.document_->HasParseError() || !reply.document_->IsObject()) {
            return reply.Failed("json", "the body is not a JSON object: " + Excerpt(http.body));
        }
        if (auto errors = reply.document_->FindMember("errors"); errors != reply.document_->MemberEnd()) {
            return reply.Failed(ErrorKind(errors->value), ErrorMessage(errors->value));
        }
        auto data = reply.document_->FindMember("data");
        if (data == reply.document_->MemberEnd() || !data->value.IsObject()) {
            return reply.Failed("shape", "no data object: " + Excerpt(http.body));
        }
        auto value = data->value.FindMember(rapidjson::Value(rapidjson::StringRef(field.data(), field.size())));
        if (value == data->value.MemberEnd() || value->value.IsNull()) {
            return reply.Failed("shape", "data." + std::string(field) + " is missing or null");
        }
        reply.field_ = &value->value;
        return reply;
    }

    bool ok() const { return field_ != nullptr; }
    const std::string& kind() const { return kind_; }
    const std::string& message() const { return message_; }
    // data.<field>; only when ok().
    const rapidjson::Value& field() const { return *field_; }

    // Turns an ok reply into a "shape" failure (the data came back but not as expected).
    GraphqlReply& Reject(std::string message) { return Fail("shape", std::move(message)); }

    static std::string Excerpt(std::string_view body) {
        constexpr std::size_t kMax = 300;
        std::string text(body.substr(0, kMax));
        for (auto& c : text) {
            if (c == '\n' || c == '\r') c = ' ';
        }
        return body.size() > kMax ? text + "..." : text;
    }

private:
    GraphqlReply&& Failed(std::string kind, std::string message) {
        Fail(std::move(kind), std::move(message));
        return std::move(*this);
    }

    GraphqlReply& Fail(std::string kind, std::string message) {
        kind_ = std::move(kind);
        message_ = std::move(message);
        field_ = nullptr;
        return *this;
    }

    // "graphql <extensions.code of the first error>", so that error kinds are counted apart.
    static std::string ErrorKind(const rapidjson::Value& errors) {
        if (errors.IsArray() && !errors.Empty() && errors[0u].IsObject()) {
            auto extensions = errors[0u].FindMember("extensions");
            if (extensions != errors[0u].MemberEnd() && extensions->value.IsObject()) {
                auto code = extensions->value.FindMember("code");
                if (code != extensions->value.MemberEnd() && code->value.IsString()) {
                    return std::string("graphql ") + code->value.GetString();
                }
            }
        }
        return "graphql";
    }

    static std::string ErrorMessage(const rapidjson::Value& errors) {
        if (!errors.IsArray() || errors.Empty()) return "\"errors\" present but not a non-empty list";
        std::string text;
        const auto& first = errors[0u];
        if (first.IsObject()) {
            auto message = first.FindMember("message");
            if (message != first.MemberEnd() && message->value.IsString()) text = message->value.GetString();
            auto path = first.FindMember("path");
            if (path != first.MemberEnd() && path->value.IsArray()) {
                std::string joined;
                for (const auto& part : path->value.GetArray()) {
                    if (!joined.empty()) joined += '.';
                    joined += part.IsString() ? std::string(part.GetString())
                                              : part.IsInt64() ? std::to_string(part.GetInt64()) : "?";
                }
                text += " (at " + joined + ")";
            }
        }
        if (errors.Size() > 1) text += " and " + std::to_string(errors.Size() - 1) + " more";
        return text;
    }

    // On the heap so that field_ stays valid when the reply is moved.
    std::unique_ptr<rapidjson::Document> document_ = std::make_unique<rapidjson::Document>();
    const rapidjson::Value* field_ = nullptr;
    std::string kind_;
    std::string message_;
};

// POSTs one GraphQL request to /graphql (with the bearer token when there is one) and checks the reply.
inline GraphqlReply PostGraphql(KeepAliveConnection& gateway, const std::string& body, std::string_view field,
                                const std::string& token = {}) {
    KeepAliveConnection::Headers headers{{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    return GraphqlReply::From(gateway.Send("POST", "/graphql", body, headers), field);
}

}  // namespace orderstream::bench
