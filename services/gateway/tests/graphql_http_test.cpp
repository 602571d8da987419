#include <gtest/gtest.h>

#include "graphql_endpoint.hpp"
#include "graphql_http.hpp"

namespace gateway = orderstream::gateway;
using orderstream::http::Request;

namespace {

Request Post(std::string body, std::string content_type = "application/json") {
    Request request;
    request.method = "POST";
    request.target = "/graphql";
    request.body = std::move(body);
    if (!content_type.empty()) request.headers.emplace_back("Content-Type", content_type);
    return request;
}

Request Get(std::string target) {
    Request request;
    request.method = "GET";
    request.target = std::move(target);
    return request;
}

TEST(GraphQLHttp, PostJsonBody) {
    auto parsed = gateway::ParseGraphQLRequest(
        Post(R"({"query":"query Q($id: Int) { me { id } }","operationName":"Q","variables":{"id":3}})"));
    auto& request = std::get<gateway::GraphQLRequest>(parsed);
    EXPECT_EQ(request.query, "query Q($id: Int) { me { id } }");
    EXPECT_EQ(request.operation_name, "Q");
    EXPECT_EQ(request.variables.find("id")->as_int(), 3);
    EXPECT_FALSE(request.is_get);
}

TEST(GraphQLHttp, PostRejections) {
    auto status = [](Request request) {
        auto parsed = gateway::ParseGraphQLRequest(request);
        auto* rejection = std::get_if<gateway::RequestRejection>(&parsed);
        return rejection == nullptr ? 0 : rejection->status;
    };
    EXPECT_EQ(status(Post("{not json")), 400);
    EXPECT_EQ(status(Post("[]")), 400);
    EXPECT_EQ(status(Post(R"({"variables":{}})")), 400);
    EXPECT_EQ(status(Post(R"({"query":1})")), 400);
    EXPECT_EQ(status(Post(R"({"query":"{a}","variables":[]})")), 400);
    EXPECT_EQ(status(Post(R"({"query":"{a}","operationName":5})")), 400);
    EXPECT_EQ(status(Post(R"({"query":"{a}","extensions":"x"})")), 400);
    EXPECT_EQ(status(Post(R"({"query":"{a}","extensions":{"k":1}})")), 0);
    EXPECT_EQ(status(Post(R"({"query":"{a}"})", "text/plain")), 415);
    EXPECT_EQ(status(Post(R"({"query":"{a}"})", "")), 415);
    EXPECT_EQ(status(Post(R"({"query":"{a}"})", "application/json; charset=latin1")), 415);
    EXPECT_EQ(status(Post(R"({"query":"{a}"})", "application/json; charset=utf-8")), 0);
    Request put = Post("{}");
    put.method = "PUT";
    EXPECT_EQ(status(put), 405);
}

TEST(GraphQLHttp, GetQueryString) {
    auto parsed = gateway::ParseGraphQLRequest(
        Get("/graphql?query=%7B%20me%20%7B%20id%20%7D%20%7D&operationName=&variables=%7B%22a%22%3A1%7D"));
    auto& request = std::get<gateway::GraphQLRequest>(parsed);
    EXPECT_EQ(request.query, "{ me { id } }");
    EXPECT_EQ(request.variables.find("a")->as_int(), 1);
    EXPECT_TRUE(request.is_get);
    EXPECT_TRUE(std::holds_alternative<gateway::RequestRejection>(gateway::ParseGraphQLRequest(Get("/graphql"))));
    EXPECT_TRUE(std::holds_alternative<gateway::RequestRejection>(
        gateway::ParseGraphQLRequest(Get("/graphql?query={a}&variables=nope"))));
    EXPECT_TRUE(std::holds_alternative<gateway::RequestRejection>(gateway::ParseGraphQLRequest(Get("/graphql?query=%zz"))));
}

TEST(GraphQLHttp, DecodeQueryComponent) {
    EXPECT_EQ(gateway::DecodeQueryComponent("a+b%20c%2B"), "a b c+");
    EXPECT_FALSE(gateway::DecodeQueryComponent("%2"));
    EXPECT_FALSE(gateway::DecodeQueryComponent("%"));
    EXPECT_FALSE(gateway::DecodeQueryComponent("%g1"));
}

TEST(GraphQLHttp, MediaTypeNegotiation) {
    using gateway::ResponseMediaType;
    EXPECT_EQ(gateway::NegotiateMediaType(""), ResponseMediaType::kJson);
    EXPECT_EQ(gateway::NegotiateMediaType("application/json"), ResponseMediaType::kJson);
    EXPECT_EQ(gateway::NegotiateMediaType("application/graphql-response+json, application/json;q=0.9"),
              ResponseMediaType::kGraphQLResponseJson);
    EXPECT_EQ(gateway::NegotiateMediaType("*/*"), ResponseMediaType::kJson);
    EXPECT_EQ(gateway::NegotiateMediaType("application/graphql-response+json;q=0, application/json"),
              ResponseMediaType::kJson);
    EXPECT_FALSE(gateway::NegotiateMediaType("text/html"));
}

TEST(GraphQLHttp, TokenFromBearerOrCookie) {
    Request request;
    bool malformed = false;
    request.headers = {{"Authorization", "Bearer abc.def.ghi"}};
    EXPECT_EQ(gateway::TokenOf(request, malformed), "abc.def.ghi");
    EXPECT_FALSE(malformed);
    request.headers = {{"Cookie", "theme=dark; token=xyz; other=1"}};
    EXPECT_EQ(gateway::TokenOf(request, malformed), "xyz");
    request.headers = {{"Authorization", "Basic dXNlcg=="}};
    EXPECT_EQ(gateway::TokenOf(request, malformed), "");
    EXPECT_TRUE(malformed);
    request.headers = {};
    EXPECT_EQ(gateway::TokenOf(request, malformed), "");
    EXPECT_FALSE(malformed);
}

TEST(GatewaySchema, BuildsWithEveryResolver) { EXPECT_NE(gateway::BuildGatewaySchema(), nullptr); }

}  // namespace
