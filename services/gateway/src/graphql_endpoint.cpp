#include "graphql_endpoint.hpp"

#include <algorithm>
#include <cctype>

#include <spdlog/spdlog.h>

#include "field_errors.hpp"
#include "graphql_http.hpp"
#include "orderstream/core/log.hpp"
#include "orderstream/core/trace_context.hpp"

namespace orderstream::gateway {
namespace {

using Clock = std::chrono::steady_clock;

const char* ContentType(ResponseMediaType type) {
    return type == ResponseMediaType::kGraphQLResponseJson ? "application/graphql-response+json; charset=utf-8"
                                                           : "application/json; charset=utf-8";
}

}  // namespace

std::string RequestIdOf(const http::Request& request) {
    if (auto trace_id = trace::ParseTraceparent(request.Header(trace::kTraceparentHeader))) return *trace_id;
    auto request_id = request.Header("x-request-id");
    auto token_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    };
    if (!request_id.empty() && request_id.size() <= 128 &&
        std::all_of(request_id.begin(), request_id.end(), token_char)) {
        return std::string(request_id);
    }
    return log::NewRequestId();
}

std::string TokenCookieOf(const http::Request& request) {
    auto cookies = request.Header("cookie");
    std::size_t start = 0;
    while (start < cookies.size()) {
        auto end = cookies.find(';', start);
        if (end == std::string_view::npos) end = cookies.size();
        auto pair = cookies.substr(start, end - start);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        if (pair.substr(0, 6) == "token=") return std::string(pair.substr(6));
        start = end + 1;
    }
    return {};
}

std::string TokenOf(const http::Request& request, bool& malformed) {
    malformed = false;
    auto authorization = request.Header("authorization");
    if (!authorization.empty()) {
        constexpr std::string_view kBearer = "Bearer ";
        if (authorization.size() > kBearer.size() &&
            std::equal(kBearer.begin(), kBearer.end(), authorization.begin(),
                       [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
            return std::string(authorization.substr(kBearer.size()));
        }
        malformed = true;
        return {};
    }
    return TokenCookieOf(request);
}

void GraphQLEndpoint::Handle(http::Request&& request, http::Respond respond) {
    auto job = [this, request = std::make_shared<http::Request>(std::move(request)), respond]() mutable {
        Process(std::move(*request), respond);
    };
    if (!pipeline_.Submit(std::move(job))) {
        CountRequest(kOtherOperations, "busy");
        auto busy = http::Response::Json(503, ErrorsBody({RequestError("the server is busy; retry shortly",
                                                                      code::kUnavailable)}));
        busy.headers.emplace_back("Retry-After", "1");
        respond(std::move(busy));
    }
}

// negotiate → read the request → parse → (GET only runs queries) → prepare → authenticate → execute
void GraphQLEndpoint::Process(http::Request&& request, const http::Respond& respond) {
    auto started = Clock::now();
    auto media = NegotiateMediaType(request.Header("accept"));
    if (!media) {
        return respond(http::Response::Text(
            406, "accept application/graphql-response+json or application/json\n"));
    }
    auto request_id = RequestIdOf(request);
    // `label`: OperationLabel of a validated operation, else kOtherOperations.
    auto reply = [respond, media, started, request_id](int status, std::string body, const std::string& label,
                                                       const char* outcome, http::Headers headers = {}) {
        auto seconds = std::chrono::duration<double>(Clock::now() - started).count();
        {
            log::RequestScope scope(request_id);
            spdlog::debug("graphql {} {} {} in {:.1f} ms", label, outcome, status, seconds * 1000);
        }
        http::Response response;
        response.status = status;
        response.content_type = ContentType(*media);
        response.body = std::move(body);
        response.headers = std::move(headers);
        CountRequest(label, outcome);
        ObserveRequestSeconds(seconds);
        respond(std::move(response));
    };
    // A request the server could not make sense of: 400 with graphql-response+json; the legacy
    // application/json answers 200 for everything that is well-formed JSON.
    int request_error_status = *media == ResponseMediaType::kGraphQLResponseJson ? 400 : 200;
    auto refused = [&](const Refusal& refusal) {
        reply(request_error_status, ErrorsBody(refusal.errors), refusal.label, refusal.outcome);
    };
    auto rejected = [&](int status, std::string message, http::Headers headers = {}) {
        http::Response response = http::Response::Json(status, ErrorsBody({RequestError(std::move(message))}));
        response.headers = std::move(headers);
        CountRequest(kOtherOperations, "rejected");
        respond(std::move(response));
    };

    auto read = ParseGraphQLRequest(request);
    if (auto* rejection = std::get_if<RequestRejection>(&read)) {
        return rejected(rejection->status, rejection->message, rejection->headers);
    }
    auto graphql_request = std::get<GraphQLRequest>(std::move(read));

    auto parsed = pipeline_.Parse(graphql_request);
    if (auto* refusal = std::get_if<Refusal>(&parsed)) return refused(*refusal);
    auto& document = std::get<ParsedDocument>(parsed);
    if (document.operation != nullptr && graphql_request.is_get &&
        document.operation->operation != graphql::ast::OperationType::Query) {
        return rejected(405, "only queries may be sent with GET; use POST for mutations", {{"Allow", "POST"}});
    }
    auto prepared = pipeline_.Prepare(std::move(document), std::move(graphql_request));
    if (auto* refusal = std::get_if<Refusal>(&prepared)) return refused(*refusal);
    auto& operation = std::get<PreparedOperation>(prepared);
    if (operation.operation->operation == graphql::ast::OperationType::Subscription) {
        return reply(request_error_status,
                     ErrorsBody({RequestError("subscriptions are served over WebSocket: connect to this URL with the "
                                              "graphql-transport-ws sub-protocol")}),
                     operation.label, "invalid");
    }

    bool malformed = false;
    auto token = TokenOf(request, malformed);
    auto context = pipeline_.NewContext(request_id, pipeline_.Authenticate(token, malformed));
    auto label = operation.label;
    pipeline_.Execute(std::move(operation), context, [context, reply, label, request_error_status](
                                                         graphql::ExecutionResult result) {
        http::Headers headers;
        for (auto& cookie : context->TakeCookies()) headers.emplace_back("Set-Cookie", std::move(cookie));
        // No data at all means the request failed before execution (e.g. bad variables).
        int status = result.data ? 200 : request_error_status;
        reply(status, result.to_json(), label, result.errors.empty() ? "ok" : "errors", std::move(headers));
    });
}

}  // namespace orderstream::gateway
