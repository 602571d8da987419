#include "graphql_http.hpp"

#include <algorithm>
#include <cctype>

namespace orderstream::gateway {
namespace {

std::string Lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string_view Trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// The media type of a Content-Type or Accept entry, without parameters, lower-cased.
std::string MediaTypeOf(std::string_view entry) { return Lower(Trim(entry.substr(0, entry.find(';')))); }

int HexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// True for an Accept entry with q=0 (the client explicitly refuses that type).
bool RefusedByQuality(std::string_view entry) {
    auto params = Lower(entry);
    auto q = params.find(";q=");
    if (q == std::string::npos) q = params.find("; q=");
    if (q == std::string::npos) return false;
    auto value = Trim(std::string_view(params).substr(params.find('=', q) + 1));
    value = value.substr(0, value.find(';'));
    return !value.empty() && value.find_first_not_of("0.") == std::string_view::npos;
}

RequestRejection Reject(int status, std::string message) { return {status, std::move(message), {}}; }

}  // namespace

std::variant<GraphQLRequest, RequestRejection> ReadGraphQLParameters(const graphql::Value* query,
                                                                     const graphql::Value* operation_name,
                                                                     const graphql::Value* variables,
                                                                     const graphql::Value* extensions, bool is_get) {
    GraphQLRequest request;
    request.is_get = is_get;
    if (query == nullptr || query->is_null()) return Reject(400, "the request has no query");
    if (!query->is_string()) return Reject(400, "query must be a string");
    request.query = query->as_string();
    if (operation_name != nullptr && !operation_name->is_null()) {
        if (!operation_name->is_string()) return Reject(400, "operationName must be a string");
        request.operation_name = operation_name->as_string();
    }
    if (variables != nullptr && !variables->is_null()) {
        if (!variables->is_object()) return Reject(400, "variables must be an object");
        request.variables = *variables;
    }
    if (extensions != nullptr && !extensions->is_null() && !extensions->is_object()) {
        return Reject(400, "extensions must be an object");
    }
    return request;
}

std::optional<ResponseMediaType> NegotiateMediaType(std::string_view accept) {
    if (Trim(accept).empty()) return ResponseMediaType::kJson;
    bool json = false;
    bool wildcard = false;
    std::size_t start = 0;
    while (start <= accept.size()) {
        auto comma = accept.find(',', start);
        if (comma == std::string_view::npos) comma = accept.size();
        auto entry = accept.substr(start, comma - start);
        auto type = MediaTypeOf(entry);
        if (!RefusedByQuality(entry)) {
            if (type == kGraphQLResponseJson) return ResponseMediaType::kGraphQLResponseJson;
            if (type == "application/json") json = true;
            if (type == "*/*" || type == "application/*") wildcard = true;
        }
        start = comma + 1;
    }
    // A client that takes anything gets the widely understood legacy type.
    if (json || wildcard) return ResponseMediaType::kJson;
    return std::nullopt;
}

std::optional<std::string> DecodeQueryComponent(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            int hi = HexDigit(text[i + 1]);
            int lo = HexDigit(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::variant<GraphQLRequest, RequestRejection> ParseGraphQLRequest(const http::Request& request) {
    if (request.method == "GET") {
        graphql::Value query, operation_name, variables, extensions;
        bool has_query = false, has_operation = false, has_variables = false, has_extensions = false;
        auto params = request.Query();
        std::size_t start = 0;
        while (start < params.size()) {
            auto amp = params.find('&', start);
            if (amp == std::string_view::npos) amp = params.size();
            auto pair = params.substr(start, amp - start);
            auto eq = pair.find('=');
            auto key = DecodeQueryComponent(pair.substr(0, eq));
            auto value = DecodeQueryComponent(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
            if (!key || !value) return Reject(400, "malformed query string");
            if (*key == "query") {
                query = *value;
                has_query = true;
            } else if (*key == "operationName") {
                operation_name = *value;
                has_operation = true;
            } else if (*key == "variables" && !value->empty()) {
                std::string error;
                if (!graphql::parse_json(*value, variables, error)) {
                    return Reject(400, "variables must be a JSON object: " + error);
                }
                has_variables = true;
            } else if (*key == "extensions" && !value->empty()) {
                std::string error;
                if (!graphql::parse_json(*value, extensions, error)) {
                    return Reject(400, "extensions must be a JSON object: " + error);
                }
                has_extensions = true;
            }
            start = amp + 1;
        }
        return ReadGraphQLParameters(has_query ? &query : nullptr, has_operation ? &operation_name : nullptr,
                              has_variables ? &variables : nullptr, has_extensions ? &extensions : nullptr, true);
    }
    if (request.method != "POST") {
        return RequestRejection{405, "use GET or POST", {{"Allow", "GET, POST"}}};
    }
    auto content_type = request.Header("content-type");
    if (content_type.empty()) return Reject(415, "Content-Type must be application/json");
    auto type = MediaTypeOf(content_type);
    if (type != "application/json") return Reject(415, "Content-Type must be application/json, got " + type);
    auto charset = Lower(content_type).find("charset=");
    if (charset != std::string::npos) {
        auto value = Lower(Trim(std::string_view(content_type).substr(charset + 8)));
        if (value != "utf-8" && value != "\"utf-8\"") return Reject(415, "only the utf-8 charset is supported");
    }
    graphql::Value body;
    std::string error;
    if (!graphql::parse_json(request.body, body, error)) return Reject(400, "the body is not valid JSON: " + error);
    if (!body.is_object()) return Reject(400, "the body must be a JSON object");
    return ReadGraphQLParameters(body.find("query"), body.find("operationName"), body.find("variables"),
                          body.find("extensions"), false);
}

}  // namespace orderstream::gateway
