#include "orderstream/http/server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include <gtest/gtest.h>

#include "orderstream/testing/process.hpp"

namespace http = orderstream::http;
using orderstream::testing::HttpRequest;

namespace {

http::Server StartEcho(std::size_t body_limit = 1 << 20) {
    http::ServerOptions options;
    options.body_limit = body_limit;
    options.threads = 2;
    return http::Server(options, [](http::Request&& request, http::Respond respond) {
        if (request.Path() == "/later") {
            // Completes from another thread, as a handler waiting on gRPC would.
            std::thread([respond] {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                respond(http::Response::Text(202, "done later"));
            }).detach();
            return;
        }
        if (request.Path() == "/throw") throw std::runtime_error("boom");
        auto response = http::Response::Json(200, "{\"method\":\"" + request.method + "\",\"query\":\"" +
                                                      std::string(request.Query()) + "\",\"body\":\"" + request.body +
                                                      "\",\"x\":\"" + std::string(request.Header("x-test")) + "\"}");
        response.headers.emplace_back("Set-Cookie", "a=b");
        respond(std::move(response));
    });
}

TEST(HttpServer, ServesGetAndPost) {
    auto server = StartEcho();
    server.Start();
    auto get = HttpRequest(server.port(), "GET", "/path?q=1", "", {"X-Test: hello"});
    EXPECT_EQ(get.status, 200);
    EXPECT_EQ(get.body, R"({"method":"GET","query":"q=1","body":"","x":"hello"})");
    EXPECT_NE(get.headers.find("Content-Type: application/json"), std::string::npos);
    EXPECT_NE(get.headers.find("Set-Cookie: a=b"), std::string::npos);
    auto post = HttpRequest(server.port(), "POST", "/p", "payload");
    EXPECT_EQ(post.body, R"({"method":"POST","query":"","body":"payload","x":""})");
}

TEST(HttpServer, AsynchronousResponsesAndHandlerExceptions) {
    auto server = StartEcho();
    server.Start();
    auto later = HttpRequest(server.port(), "GET", "/later");
    EXPECT_EQ(later.status, 202);
    EXPECT_EQ(later.body, "done later");
    auto thrown = HttpRequest(server.port(), "GET", "/throw");
    EXPECT_EQ(thrown.status, 500);
}

TEST(HttpServer, OversizedBodyIs413) {
    auto server = StartEcho(16);
    server.Start();
    EXPECT_EQ(HttpRequest(server.port(), "POST", "/p", std::string(17, 'x')).status, 413);
    EXPECT_EQ(HttpRequest(server.port(), "POST", "/p", std::string(16, 'x')).status, 200);
}

TEST(HttpServer, KeepAliveServesSeveralRequestsOnOneConnection) {
    auto server = StartEcho();
    server.Start();
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(server.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    std::string two = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    ASSERT_EQ(::send(fd, two.data(), two.size(), 0), static_cast<ssize_t>(two.size()));
    std::string all;
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) all.append(buffer, static_cast<std::size_t>(n));
    ::close(fd);
    std::size_t responses = 0;
    for (auto pos = all.find("HTTP/1.1 200"); pos != std::string::npos; pos = all.find("HTTP/1.1 200", pos + 1)) {
        ++responses;
    }
    EXPECT_EQ(responses, 2U) << all;
}

TEST(HttpServer, MalformedRequestIs400AndServerSurvives) {
    auto server = StartEcho();
    server.Start();
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(server.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    std::string junk = "\x01\x02 NOT HTTP\r\n\r\n";
    ::send(fd, junk.data(), junk.size(), 0);
    char buffer[4096];
    auto n = ::recv(fd, buffer, sizeof buffer, 0);
    ::close(fd);
    ASSERT_GT(n, 12);
    EXPECT_EQ(std::string(buffer, 12), "HTTP/1.1 400");
    EXPECT_EQ(HttpRequest(server.port(), "GET", "/ok").status, 200);
}

TEST(HttpServer, BindFailureNamesTheAddress) {
    auto first = StartEcho();
    first.Start();
    http::ServerOptions options;
    options.address = "127.0.0.1:" + std::to_string(first.port());
    http::Server second(options, [](http::Request&&, http::Respond) {});
    try {
        second.Start();
        FAIL() << "expected a bind failure";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(options.address), std::string::npos) << e.what();
    }
}

TEST(HttpServer, SplitAddress) {
    EXPECT_EQ(http::SplitAddress("127.0.0.1:80"), (std::pair<std::string, int>{"127.0.0.1", 80}));
    EXPECT_EQ(http::SplitAddress(":8080"), (std::pair<std::string, int>{"0.0.0.0", 8080}));
    EXPECT_EQ(http::SplitAddress("[::1]:9"), (std::pair<std::string, int>{"::1", 9}));
    EXPECT_THROW(http::SplitAddress("nohost"), std::invalid_argument);
    EXPECT_THROW(http::SplitAddress("h:99999"), std::invalid_argument);
}

}  // namespace
